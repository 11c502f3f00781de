import { parseApiDate } from './store.cjs';

/** Query string with case-insensitive names, as ASP.NET binds them. */
export class Query {
	private readonly values = new Map<string, string>();

	constructor(params: URLSearchParams) {
		for (const [name, value] of params) this.values.set(name.toLowerCase(), value);
	}

	get(name: string): string | undefined {
		return this.values.get(name.toLowerCase());
	}

	has(name: string): boolean {
		return this.values.has(name.toLowerCase());
	}
}

export type FilterSpec<T> =
	/** Equality on an id. */
	| { param: string; type: 'id'; value: (record: T) => number }
	/** Case-insensitive "contains". */
	| { param: string; type: 'text'; value: (record: T) => string | null }
	/** Equality on a boolean given as true/false. */
	| { param: string; type: 'bool'; value: (record: T) => boolean }
	/** Inclusive range from `from_<param>` and `to_<param>`; a null value never matches. */
	| { param: string; type: 'dateRange'; value: (record: T) => string | null };

export type Predicate<T> = (record: T) => boolean;

export class QueryError extends Error {}

function idPredicate<T>(spec: Extract<FilterSpec<T>, { type: 'id' }>, raw: string): Predicate<T> {
	if (!/^\d+$/.test(raw.trim()))
		throw new QueryError(`${spec.param}: '${raw}' is not a valid integer`);
	const id = Number(raw);
	return (record) => spec.value(record) === id;
}

function textPredicate<T>(
	spec: Extract<FilterSpec<T>, { type: 'text' }>,
	raw: string,
): Predicate<T> {
	const needle = raw.toLowerCase();
	return (record) => spec.value(record)?.toLowerCase().includes(needle) ?? false;
}

function boolPredicate<T>(
	spec: Extract<FilterSpec<T>, { type: 'bool' }>,
	raw: string,
): Predicate<T> {
	const value = raw.trim().toLowerCase();
	if (value !== 'true' && value !== 'false')
		throw new QueryError(`${spec.param}: '${raw}' is not a valid boolean`);
	return (record) => spec.value(record) === (value === 'true');
}

function datePredicate<T>(
	spec: Extract<FilterSpec<T>, { type: 'dateRange' }>,
	name: string,
	raw: string,
	compare: (value: number, bound: number) => boolean,
): Predicate<T> {
	const bound = parseApiDate(raw);
	if (!bound) throw new QueryError(`${name}: '${raw}' is not a valid date (use YYYY-MM-DDTHH:mm)`);
	return (record) => {
		const value = spec.value(record);
		const date = value === null ? undefined : parseApiDate(value);
		return date !== undefined && compare(date.toMillis(), bound.toMillis());
	};
}

/** Builds the filters present in the query; throws QueryError on a value that cannot be used. */
export function buildFilters<T>(specs: Array<FilterSpec<T>>, query: Query): Array<Predicate<T>> {
	const predicates: Array<Predicate<T>> = [];
	for (const spec of specs) {
		if (spec.type === 'dateRange') {
			const from = query.get(`from_${spec.param}`);
			const to = query.get(`to_${spec.param}`);
			if (from) predicates.push(datePredicate(spec, `from_${spec.param}`, from, (v, b) => v >= b));
			if (to) predicates.push(datePredicate(spec, `to_${spec.param}`, to, (v, b) => v <= b));
			continue;
		}
		const raw = query.get(spec.param);
		if (raw === undefined || raw === '') continue;
		if (spec.type === 'bool') {
			predicates.push(boolPredicate(spec, raw));
			continue;
		}
		predicates.push(spec.type === 'id' ? idPredicate(spec, raw) : textPredicate(spec, raw));
	}
	return predicates;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

export type SortDirection = 'Ascending' | 'Descending';

/** The docs show three conventions; 1 is read as ascending (the 1/-1 one). */
export function parseDirection(raw: string | undefined): SortDirection {
	const value = (raw ?? '').trim().toLowerCase();
	return value === 'descending' || value === 'desc' || value === '-1' ? 'Descending' : 'Ascending';
}

export interface ListEnvelope<T> {
	Records: T[];
	CurrentPage: number;
	CurrentPageSize: number;
	CurrentOrderField: string;
	CurrentSortDirection: SortDirection;
	FirstItem: number;
	LastItem: number;
	TotalItems: number;
	TotalPages: number;
	HasNextPage: boolean;
	HasPreviousPage: boolean;
}

function positiveInt(raw: string | undefined, fallback: number): number {
	const value = Number(raw);
	return raw !== undefined && Number.isInteger(value) && value >= 1 ? value : fallback;
}

function compareValues(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === null || a === undefined) return -1;
	if (b === null || b === undefined) return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return String(a).localeCompare(String(b));
}

export interface PageOptions {
	/** Always page 1 with HasNextPage true: a list that would loop a client that trusts it. */
	ignorePage?: boolean;
}

/** Sorts, pages and wraps records in the Nexudus list envelope. */
export function paginate<T extends object>(
	records: T[],
	query: Query,
	options: PageOptions = {},
): ListEnvelope<T> {
	const page = options.ignorePage ? 1 : positiveInt(query.get('page'), 1);
	const size = Math.min(positiveInt(query.get('size'), DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
	const orderField = query.get('orderBy') || 'Id';
	const direction = parseDirection(query.get('dir'));
	const sample = records[0] ?? {};
	// Field names bind case-insensitively; an unknown field falls back to Id.
	const key =
		Object.keys(sample).find((name) => name.toLowerCase() === orderField.toLowerCase()) ?? 'Id';
	const sign = direction === 'Ascending' ? 1 : -1;
	const sorted = [...records].sort(
		(a, b) =>
			sign *
				compareValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]) ||
			compareValues((a as Record<string, unknown>).Id, (b as Record<string, unknown>).Id),
	);
	const start = (page - 1) * size;
	const pageRecords = sorted.slice(start, start + size);
	const totalPages = Math.ceil(sorted.length / size);
	return {
		Records: pageRecords,
		CurrentPage: page,
		CurrentPageSize: size,
		CurrentOrderField: orderField,
		CurrentSortDirection: direction,
		FirstItem: pageRecords.length > 0 ? start + 1 : 0,
		LastItem: start + pageRecords.length,
		TotalItems: sorted.length,
		TotalPages: totalPages,
		HasNextPage: options.ignorePage || page < totalPages,
		HasPreviousPage: page > 1,
	};
}

/** Applies the filters then pages; the list endpoints differ only in their records and filters. */
export function listResponse<T, R extends object>(
	records: T[],
	specs: Array<FilterSpec<T>>,
	query: Query,
	toListItem: (record: T) => R,
	options: PageOptions = {},
): ListEnvelope<R> {
	const predicates = buildFilters(specs, query);
	const matching = records.filter((record) => predicates.every((predicate) => predicate(record)));
	return paginate(matching.map(toListItem), query, options);
}
