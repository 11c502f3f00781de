import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	describeFieldErrors,
	withDisplayNames,
	invalidParameterError,
	nexudusNetworkError,
	nexudusResponseError,
	quoteForMessage,
	showValue,
	truncateForMessage,
} from '../../../../nodes/Nexudus/helpers/errors';

const node: INode = {
	id: 'nexudus-node',
	name: 'Nexudus',
	type: 'n8n-nodes-nexudus.nexudus',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const context = {
	itemIndex: 2,
	role: 'CoworkerInventoryAsset-Create',
	baseUrl: 'https://spaces.nexudus.com',
};

describe('describeFieldErrors', () => {
	it('names every Nexudus field as the parameter the user sees, whatever its case', () => {
		const lines = describeFieldErrors(
			['CoworkerId', 'businessid', 'InventoryAssetId', 'AssignedFrom', 'AssignedTo', 'Notes', 'Other'].map(
				(PropertyName) => ({ PropertyName, Message: 'bad', AttemptedValue: 1 }),
			),
		);
		expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
			'Coworker',
			'Location',
			'Inventory Asset',
			'Assigned From',
			'Assigned To',
			'Notes',
			'Other',
		]);
		expect(lines[6]).toBe('Other: bad (sent: 1)');
		expect(withDisplayNames('InventoryAssetId: the asset does not belong to this location, AssignedTo: cannot be before AssignedFrom')).toBe(
			'Inventory Asset: the asset does not belong to this location, Assigned To: cannot be before AssignedFrom',
		);
	});

	it('writes one line per field error with the value sent', () => {
		expect(
			describeFieldErrors([
				{ PropertyName: 'AssignedFrom', Message: 'is a required field', AttemptedValue: null },
				{ PropertyName: 'CoworkerId', Message: 'Coworker not found', AttemptedValue: 99 },
				{ PropertyName: 'Notes', Message: 'too long', AttemptedValue: 'abc' },
				{ Message: null },
			]),
		).toEqual([
			'Assigned From: is a required field (sent: null). Set Assigned From to a date, such as 2025-01-15T10:30.',
			'Coworker: Coworker not found (sent: 99). Pick the member in Coworker, or check the Id given By ID.',
			'Notes: too long (sent: "abc"). Correct the text in Notes.',
			'invalid (sent: nothing)',
		]);
		expect(describeFieldErrors(null)).toEqual([]);
		expect(describeFieldErrors(undefined)).toEqual([]);
	});
});

describe('nexudusResponseError', () => {
	it('400 with Errors[]: Nexudus message, every field error in the description', () => {
		const error = nexudusResponseError(
			node,
			400,
			{
				Message: 'AssignedFrom: is a required field',
				Value: null,
				WasSuccessful: false,
				Errors: [
					{ AttemptedValue: null, Message: 'is a required field', PropertyName: 'AssignedFrom' },
					{ AttemptedValue: 7, Message: 'Coworker not found', PropertyName: 'CoworkerId' },
				],
			},
			context,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Assigned From: is a required field');
		expect(error.description).toBe(
			'Nexudus reported:\nAssigned From: is a required field (sent: null). Set Assigned From to a date, such as 2025-01-15T10:30.\nCoworker: Coworker not found (sent: 7). Pick the member in Coworker, or check the Id given By ID.',
		);
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(2);
		expect(error.errorResponse).toMatchObject({
			message: 'Assigned From: is a required field',
			httpCode: '400',
			// Nexudus's own words, untouched.
			nexudusMessage: 'AssignedFrom: is a required field',
			nexudusErrors: [
				'Assigned From: is a required field (sent: null). Set Assigned From to a date, such as 2025-01-15T10:30.',
				'Coworker: Coworker not found (sent: 7). Pick the member in Coworker, or check the Id given By ID.',
			],
		});
	});

	it('400 without a message or Errors: says so', () => {
		const error = nexudusResponseError(node, 400, { Message: '  ', WasSuccessful: false }, context);
		expect(error.message).toBe('Nexudus rejected the request (HTTP 400)');
		expect(error.description).toBe('Nexudus gave no details. Check the values sent.');
	});

	it('200 with WasSuccessful false is an error with Nexudus\'s message', () => {
		const error = nexudusResponseError(
			node,
			200,
			{
				Status: 500,
				Message: 'The inventory asset does not belong to this location',
				WasSuccessful: false,
				Errors: [{ PropertyName: 'InventoryAssetId', Message: 'wrong location', AttemptedValue: 3016 }],
			},
			context,
		);
		expect(error.message).toBe('The inventory asset does not belong to this location');
		expect(error.description).toBe(
			"Nexudus reported:\nInventory Asset: wrong location (sent: 3016). Pick an asset of the chosen location in Inventory Asset, or change Location to the asset's.",
		);
		expect(error.httpCode).toBe('200');
	});

	it('401: the token was refused even after a new login', () => {
		const error = nexudusResponseError(
			node,
			401,
			{ Message: 'Authorization has been denied for this request.' },
			context,
		);
		expect(error.message).toBe(
			'Nexudus refused the request (401) even with a fresh login: the user may lack the CoworkerInventoryAsset-Create role',
		);
		expect(error.description).toContain('missing permission as well as for a bad login');
		expect(error.description).toContain('Test button');
		expect(error.httpCode).toBe('401');
	});

	it('403 names the missing role, in the message and the fix', () => {
		const error = nexudusResponseError(
			node,
			403,
			{ Message: 'You do not have permission to perform this action.' },
			context,
		);
		expect(error.message).toBe('The Nexudus user lacks the CoworkerInventoryAsset-Create role (403)');
		expect(error.description).toBe(
			'Give the credential\'s user the role CoworkerInventoryAsset-Create in Nexudus (Settings, Users, Roles), or make it a full unrestricted administrator. Nexudus said: "You do not have permission to perform this action."',
		);
		const bare = nexudusResponseError(node, 403, undefined, { ...context, role: 'Business-List' });
		expect(bare.message).toBe('The Nexudus user lacks the Business-List role (403)');
		expect(bare.description).not.toContain('Nexudus said');
	});

	it('404 with a subject names it; without one points at the Base URL', () => {
		const withSubject = nexudusResponseError(node, 404, { Message: 'not found' }, {
			...context,
			subject: 'coworker inventory asset 42',
		});
		expect(withSubject.message).toBe('Nexudus has no coworker inventory asset 42 (404)');
		expect(withSubject.description).toContain('Check the Id');

		const withoutSubject = nexudusResponseError(node, 404, undefined, context);
		expect(withoutSubject.message).toBe('Nexudus answered 404 Not Found');
		expect(withoutSubject.description).toBe("Check the credential's Base URL (https://spaces.nexudus.com).");
	});

	it('409 without a message is throttling; with one it is a real conflict', () => {
		for (const body of [undefined, '', null]) {
			const throttle = nexudusResponseError(node, 409, body, context);
			expect(throttle.message).toBe('Nexudus kept throttling the requests (409)');
			expect(throttle.description).toContain('60 writes a minute');
		}
		const conflict = nexudusResponseError(
			node,
			409,
			{ Message: 'The asset is already assigned for these dates', WasSuccessful: false },
			context,
		);
		expect(conflict.message).toBe('Nexudus reported a conflict: The asset is already assigned for these dates');
		expect(conflict.description ?? '').not.toContain('60 writes a minute');
		expect(conflict.httpCode).toBe('409');
	});

	it('500 quotes Nexudus\'s message in the description', () => {
		const error = nexudusResponseError(node, 500, { Message: 'An error has occurred.' }, context);
		expect(error.message).toBe('Nexudus had an internal error (HTTP 500)');
		expect(error.description).toBe(
			'Nexudus said: "An error has occurred.". This is on Nexudus\'s side; the node retried where it was safe. Try again later.',
		);
		expect(error.httpCode).toBe('500');
	});

	it('502 with an HTML body: clear message, no HTML anywhere in it', () => {
		const html =
			'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
		const error = nexudusResponseError(node, 502, html, context);
		expect(error.message).toBe('Nexudus had an internal error (HTTP 502)');
		expect(error.description).toBe(
			"This is on Nexudus's side; the node retried where it was safe. Try again later.",
		);
		expect(`${error.message} ${error.description}`).not.toContain('<');
		expect(error.httpCode).toBe('502');
	});

	it('other statuses use Nexudus\'s message or the status', () => {
		const withMessage = nexudusResponseError(
			node,
			415,
			{ Message: "The request entity's media type 'text/plain' is not supported for this resource." },
			context,
		);
		expect(withMessage.message).toBe(
			"The request entity's media type 'text/plain' is not supported for this resource.",
		);
		expect(nexudusResponseError(node, 405, undefined, context).message).toBe('Nexudus answered HTTP 405');
	});
});

describe('nexudusNetworkError', () => {
	const networkContext = { ...context, baseUrl: 'http://127.0.0.1:9', timeoutMs: 60_000 };

	it.each([
		['ETIMEDOUT', 'Nexudus did not answer within 60 seconds'],
		['ECONNABORTED', 'Nexudus did not answer within 60 seconds'],
		['ECONNREFUSED', 'Could not connect to Nexudus at http://127.0.0.1:9 (connection refused)'],
		['ENOTFOUND', 'Could not find the host of http://127.0.0.1:9'],
		['EAI_AGAIN', 'Could not find the host of http://127.0.0.1:9'],
		['ECONNRESET', 'The connection to Nexudus was lost before it answered'],
		['EPIPE', 'The connection to Nexudus was lost before it answered'],
	])('%s: words in the message, the code only in the description', (code, message) => {
		const error = nexudusNetworkError(node, code, networkContext);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.message).not.toMatch(/\bE[A-Z_]{4,}\b/);
		expect(error.description).toMatch(new RegExp(`^${code}\\. `));
		expect(error.description).toContain('never sent again without first checking');
		expect(error.context.itemIndex).toBe(2);
	});

	it('rounds the timeout to seconds', () => {
		expect(nexudusNetworkError(node, 'ETIMEDOUT', { ...networkContext, timeoutMs: 2_400 }).message).toBe(
			'Nexudus did not answer within 2 seconds',
		);
	});
});

describe('invalidParameterError', () => {
	it('names the field and shows the value as typed, with the fix as description', () => {
		const error = invalidParameterError(node, 'Assigned From', 'next tuesday', 'Use ISO 8601.', 3);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Invalid Assigned From: "next tuesday"');
		expect(error.description).toBe('Use ISO 8601.');
		expect(error.context.itemIndex).toBe(3);
	});

	it('shows numbers, empty strings, objects and missing values distinctly', () => {
		expect(invalidParameterError(node, 'Coworker', -4, 'fix', 0).message).toBe('Invalid Coworker: -4');
		expect(invalidParameterError(node, 'Coworker', '', 'fix', 0).message).toBe('Invalid Coworker: ""');
		expect(invalidParameterError(node, 'Coworker', { id: 1 }, 'fix', 0).message).toBe(
			'Invalid Coworker: {"id":1}',
		);
		expect(invalidParameterError(node, 'Coworker', undefined, 'fix', 0).message).toBe(
			'Invalid Coworker: nothing',
		);
		expect(invalidParameterError(node, 'Coworker', null, 'fix', 0).message).toBe('Invalid Coworker: null');
	});
});

describe('long values in messages', () => {
	it('keeps text of up to 80 characters whole', () => {
		expect(truncateForMessage('a'.repeat(80))).toBe('a'.repeat(80));
		expect(quoteForMessage('a'.repeat(80))).toBe(`"${'a'.repeat(80)}"`);
	});

	it('shows 80 characters, an ellipsis and the total length', () => {
		expect(truncateForMessage('a'.repeat(10000))).toBe(`${'a'.repeat(80)}… (10000 characters)`);
		expect(quoteForMessage('a'.repeat(10000))).toBe(`"${'a'.repeat(80)}"… (10000 characters)`);
	});

	it('never cuts a surrogate pair in half', () => {
		const text = `${'a'.repeat(79)}😀${'b'.repeat(50)}`;
		expect(truncateForMessage(text)).toBe(`${'a'.repeat(79)}… (${text.length} characters)`);
	});

	it('shortens every kind of value', () => {
		expect(showValue({ list: 'z'.repeat(200) })).toBe(`{"list":"${'z'.repeat(71)}… (211 characters)`);
		expect(showValue(undefined)).toBe('nothing');
		expect(showValue(12)).toBe('12');
		expect(showValue('a\nb')).toBe('"a\\nb"');
	});

	it('invalidParameterError and describeFieldErrors never echo a 10,000-character value whole', () => {
		const huge = 'q'.repeat(10000);
		expect(invalidParameterError(node, 'Coworker', huge, 'fix', 0).message).toBe(
			`Invalid Coworker: "${'q'.repeat(80)}"… (10000 characters)`,
		);
		expect(describeFieldErrors([{ PropertyName: 'Notes', Message: 'too long', AttemptedValue: huge }])).toEqual([
			`Notes: too long (sent: "${'q'.repeat(80)}"… (10000 characters)). Correct the text in Notes.`,
		]);
	});
});
