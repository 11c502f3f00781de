/*
 * Lookups kept for one node run (n8n gives every run its own context object): an email, a
 * location name or an asset is asked of Nexudus once per run, not once per item. Entries are
 * promises, so items in flight at once share one request.
 */

export function runCache<K, T>(store: WeakMap<object, Map<K, T>>, run: object): Map<K, T> {
	let cache = store.get(run);
	if (!cache) {
		cache = new Map();
		store.set(run, cache);
	}
	return cache;
}

export function cached<K, T>(cache: Map<K, Promise<T>>, key: K, load: () => Promise<T>): Promise<T> {
	let pending = cache.get(key);
	if (!pending) {
		pending = load();
		// A failed read (network, 5xx) is not kept: the next item may try again.
		pending.catch(() => cache.delete(key));
		cache.set(key, pending);
	}
	return pending;
}
