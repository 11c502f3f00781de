// n8n 1.x hands a network error back with its own text in place of Node's: a dropped connection
// after a create must still read as "maybe applied" (ECONNRESET), not as a refusal.
import { NodeApiError } from 'n8n-workflow';

import { networkCodeOf } from '../../../../nodes/Nexudus/transport/answers';

const node = {
	id: '1',
	name: 'Nexudus',
	type: 'n8n-nodes-nexudus.nexudus',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

describe('networkCodeOf', () => {
	it.each([
		['ECONNRESET', 'The connection to the server was closed unexpectedly, perhaps it is offline.'],
		['ECONNABORTED', 'The connection was aborted, perhaps the server is offline'],
		['ETIMEDOUT', "The connection timed out, consider setting the 'Retry on Fail' option"],
		['ECONNREFUSED', 'The service refused the connection - perhaps it is offline'],
	])('reads %s back from n8n 1.x reworded message', (code, text) => {
		expect(networkCodeOf({ message: text })).toBe(code);
		expect(networkCodeOf({ message: 'Request failed', cause: { message: text } })).toBe(code);
	});

	it("reads the code of n8n's own NodeApiError for a Node error", () => {
		const error = new NodeApiError(node, { message: 'socket closed', code: 'ECONNRESET' });
		expect(networkCodeOf(error)).toBe('ECONNRESET');
	});

	it('finds no network code in an ordinary message', () => {
		expect(networkCodeOf({ message: 'The record was not found' })).toBeUndefined();
	});
});
