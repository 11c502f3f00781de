import type { IDataObject } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import {
	MAX_REMEMBERED_DELIVERIES,
	deliveryKey,
	forgetDeliveries,
	isRepeatedDelivery,
} from '../../../../nodes/Nexudus/trigger/deliveries';
import {
	eventToken,
	eventUrl,
	isValidEventToken,
} from '../../../../nodes/Nexudus/trigger/eventToken';
import {
	asciiForm,
	isValidSignature,
	nexudusAsciiSignature,
	nexudusSignature,
	verifiedForm,
} from '../../../../nodes/Nexudus/trigger/signature';

const MINUTE = 60_000;

beforeEach(() => forgetDeliveries());

describe('repeated deliveries', () => {
	test('the same event and body within the window is a repeat; after it, not', () => {
		const stored: IDataObject = {};
		const key = deliveryKey('CoworkerCreate', Buffer.from('[{"Id":1}]'));
		expect(isRepeatedDelivery(stored, 'wf|node', key, 60 * MINUTE, 0)).toBe(false);
		expect(isRepeatedDelivery(stored, 'wf|node', key, 60 * MINUTE, 59 * MINUTE)).toBe(true);
		expect(isRepeatedDelivery(stored, 'wf|node', key, 60 * MINUTE, 61 * MINUTE)).toBe(false);
	});

	test('the key depends on the event and every byte of the body', () => {
		const body = Buffer.from('[{"Id":1}]');
		expect(deliveryKey('CoworkerCreate', body)).toBe(
			deliveryKey('CoworkerCreate', Buffer.from('[{"Id":1}]')),
		);
		expect(deliveryKey('CoworkerUpdate', body)).not.toBe(deliveryKey('CoworkerCreate', body));
		expect(deliveryKey('CoworkerCreate', Buffer.from('[{"Id":1} ]'))).not.toBe(
			deliveryKey('CoworkerCreate', body),
		);
	});

	test('static data alone recognises a repeat (another n8n process, or after a restart)', () => {
		const stored: IDataObject = {};
		isRepeatedDelivery(stored, 'wf|node', 'k', MINUTE, 0);
		forgetDeliveries();
		expect(isRepeatedDelivery(stored, 'wf|node', 'k', MINUTE, 1)).toBe(true);
	});

	test('the process memory alone recognises a repeat that arrives before n8n saved the first (two copies at once)', () => {
		isRepeatedDelivery({}, 'wf|node', 'k', MINUTE, 0);
		expect(isRepeatedDelivery({}, 'wf|node', 'k', MINUTE, 1)).toBe(true);
		expect(isRepeatedDelivery({}, 'other|node', 'k', MINUTE, 1)).toBe(false);
	});

	test('static data is written (so n8n saves it) only when a delivery is new or an old one expires', () => {
		// The same observable static data n8n gives a node; __dataChanged tells n8n to save it.
		const stored = ObservableObject.create({} as IDataObject) as IDataObject & {
			__dataChanged: boolean;
		};
		isRepeatedDelivery(stored, 'wf|node', 'a', MINUTE, 0);
		expect(stored.__dataChanged).toBe(true);
		stored.__dataChanged = false;
		expect(isRepeatedDelivery(stored, 'wf|node', 'a', MINUTE, 1)).toBe(true);
		forgetDeliveries();
		expect(isRepeatedDelivery(stored, 'wf|node', 'a', MINUTE, 2)).toBe(true);
		expect(stored.__dataChanged).toBe(false);
		// Saved and loaded again (n8n makes the children observable on load).
		const loaded = ObservableObject.create(
			JSON.parse(JSON.stringify(stored)) as IDataObject,
		) as IDataObject & { __dataChanged: boolean };
		expect(isRepeatedDelivery(loaded, 'wf|node', 'a', MINUTE, 3)).toBe(true);
		expect(loaded.__dataChanged).toBe(false);
		expect(isRepeatedDelivery(loaded, 'wf|node', 'b', MINUTE, 4)).toBe(false);
		expect(loaded.__dataChanged).toBe(true);
		expect(Object.keys(loaded.deliveries as IDataObject).sort()).toEqual(['a', 'b']);
	});

	test(`static data keeps at most ${MAX_REMEMBERED_DELIVERIES} deliveries, the newest`, () => {
		const stored: IDataObject = {};
		for (let i = 0; i <= MAX_REMEMBERED_DELIVERIES; i++)
			isRepeatedDelivery(stored, 's', `k${i}`, 60 * MINUTE, i);
		const kept = Object.keys(stored.deliveries as IDataObject);
		expect(kept).toHaveLength(MAX_REMEMBERED_DELIVERIES);
		expect(kept).not.toContain('k0');
	});
});

describe('signature', () => {
	// Vector computed independently: printf '[{"Id":1}]' | openssl dgst -sha256 -hmac secret
	const body = Buffer.from('[{"Id":1}]');
	test('uppercase hex HMAC-SHA256 of the raw body', () => {
		expect(nexudusSignature('secret', body)).toBe(
			'1CD478695CE8B52769F75AF243C46F2838B1AD9B04FC4CAF94FA2365DA7E3518',
		);
		expect(nexudusSignature('secret', body)).toMatch(/^[0-9A-F]{64}$/);
	});

	test('accepts the exact signature (also in lower case), refuses others of any length', () => {
		const signature = nexudusSignature('secret', body);
		expect(isValidSignature('secret', body, signature)).toBe(true);
		expect(isValidSignature('secret', body, signature.toLowerCase())).toBe(true);
		expect(isValidSignature('secret', body, [signature])).toBe(true);
		expect(isValidSignature('other', body, signature)).toBe(false);
		expect(isValidSignature('secret', body, signature.slice(1))).toBe(false);
		expect(isValidSignature('secret', body, undefined)).toBe(false);
		expect(isValidSignature('secret', body, '')).toBe(false);
	});

	// Vectors computed independently with openssl: the ASCII form (.NET ASCIIEncoding) of
	// '[{"N":"Lucía 🎉"}]' is '[{"N":"Luc?a ??"}]' and of the secret 'clé' is 'cl?'.
	const accented = Buffer.from('[{"N":"Lucía 🎉"}]', 'utf8');
	const ASCII_VECTOR = '543AD1B50272F8A93A457C9DC514476F9514ECE244319CA746D72421EB43E56C';
	const UTF8_VECTOR = '9605E4E5689C6E7DD08E2AD0303CF77DDF4555C799FC5FC9904E47FE04B286AB';

	test("Nexudus's ASCII form: each UTF-16 code unit above U+007F is '?', an emoji '??'", () => {
		expect(asciiForm('Lucía 🎉 Gran Vía').toString('latin1')).toBe('Luc?a ?? Gran V?a');
		expect(nexudusAsciiSignature('clé', accented)).toBe(ASCII_VECTOR);
		expect(nexudusSignature('clé', accented)).toBe(UTF8_VECTOR);
	});

	test('accepts a signature over the raw bytes or over the ASCII form, and says which', () => {
		expect(verifiedForm('clé', accented, ASCII_VECTOR)).toBe('ascii');
		expect(verifiedForm('clé', accented, UTF8_VECTOR)).toBe('raw');
		expect(verifiedForm('clé', accented, ASCII_VECTOR.toLowerCase())).toBe('ascii');
		// An all-ASCII body and secret: both forms are the same bytes.
		expect(verifiedForm('secret', body, nexudusSignature('secret', body))).toBe('raw');
		// Mixed forms (ASCII secret with raw body...) are not what Nexudus sends.
		const mixed = nexudusSignature('cl?', accented);
		expect(verifiedForm('clé', accented, mixed)).toBeUndefined();
		expect(verifiedForm('cle', accented, ASCII_VECTOR)).toBeUndefined();
		expect(verifiedForm('clé', Buffer.from('[{"N":"Lucia ??"}]'), ASCII_VECTOR)).toBeUndefined();
	});
});

describe('event token', () => {
	test('one per secret, event and node; hex, without the secret; checked in constant time', () => {
		const token = eventToken('clé', 'CoworkerCreate', 'node-1');
		expect(token).toMatch(/^[0-9a-f]{32}$/);
		const others = [
			eventToken('clé', 'CoworkerContractCancel', 'node-1'),
			eventToken('clé', 'CoworkerCreate', 'node-2'),
			eventToken('cle', 'CoworkerCreate', 'node-1'),
		];
		expect(new Set([token, ...others]).size).toBe(4);
		expect(isValidEventToken('clé', 'CoworkerCreate', 'node-1', token)).toBe(true);
		for (const wrong of [...others, token.toUpperCase(), token.slice(1), '', undefined, [token]])
			expect(isValidEventToken('clé', 'CoworkerCreate', 'node-1', wrong)).toBe(false);
		expect(eventUrl('http://n8n/webhook/x/webhook', 'CoworkerCreate', token)).toBe(
			`http://n8n/webhook/x/webhook?event=CoworkerCreate&token=${token}`,
		);
		expect(eventUrl('http://n8n/w?a=1', 'CoworkerCreate')).toBe(
			'http://n8n/w?a=1&event=CoworkerCreate',
		);
	});
});
