import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	assertExpressionNotEmpty,
	parameterExpression,
	toNexudusDate,
	toNotesText,
} from '../../../../nodes/Nexudus/helpers/parameters';

function contextWith(parameters: INode['parameters']): IExecuteFunctions {
	const node: INode = {
		id: 'nexudus-node',
		name: 'Nexudus',
		type: 'n8n-nodes-nexudus.nexudus',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	return { getNode: () => node } as unknown as IExecuteFunctions;
}

const EMPTY = { means: 'no filter', expected: 'a date', onPurpose: 'remove it' };

function caught(fn: () => unknown): NodeOperationError {
	try {
		fn();
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('expected the call to throw');
}

describe('parameterExpression', () => {
	const ctx = contextWith({
		endDate: '={{ $json.end }}',
		fixed: '2025-01-15',
		additionalFields: { assignedTo: '={{ $json.to }}', notes: '' },
		coworker: { __rl: true, mode: 'id', value: '={{ $json.coworker }}' },
	});

	it.each([
		['endDate', '{{ $json.end }}'],
		['additionalFields.assignedTo', '{{ $json.to }}'],
		['coworker', '{{ $json.coworker }}'],
		['fixed', undefined],
		['additionalFields.notes', undefined],
		['additionalFields.missing', undefined],
		['missing.deeper', undefined],
		['fixed.deeper', undefined],
	])('%s -> %p', (path, expected) => {
		expect(parameterExpression(ctx, path)).toBe(expected);
	});
});

describe('assertExpressionNotEmpty', () => {
	const ctx = contextWith({ filters: { after: '={{ $json.after }}', fixed: '' } });

	it.each([[undefined], [null], [''], [' \t ']])('fails an expression that gave %p', (value) => {
		const error = caught(() => assertExpressionNotEmpty(ctx, 'filters.after', 'After', value, 4, EMPTY));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Invalid After: the expression \{\{ \$json\.after \}\} evaluated to empty/);
		expect(error.description).toBe(
			'An empty After means no filter, which a mapping that found nothing should not decide. Fix the expression or the input data so that it gives a date, or remove it. Nothing was sent for this item.',
		);
		expect(error.context.itemIndex).toBe(4);
	});

	it('lets a non-empty expression value and a blank fixed value through', () => {
		expect(() => assertExpressionNotEmpty(ctx, 'filters.after', 'After', '2025-01-15', 0, EMPTY)).not.toThrow();
		expect(() => assertExpressionNotEmpty(ctx, 'filters.after', 'After', false, 0, EMPTY)).not.toThrow();
		expect(() => assertExpressionNotEmpty(ctx, 'filters.fixed', 'Fixed', '', 0, EMPTY)).not.toThrow();
		expect(() => assertExpressionNotEmpty(ctx, 'filters.absent', 'Absent', undefined, 0, EMPTY)).not.toThrow();
	});
});

describe('toNotesText', () => {
	const ctx = contextWith({});

	it.each([
		['text', 'text'],
		[42, '42'],
		[0, '0'],
		[true, 'true'],
		[false, 'false'],
		[null, null],
		[undefined, undefined],
	])('%p -> %p', (value, expected) => {
		expect(toNotesText(ctx, value, 0)).toBe(expected);
	});

	it.each([
		[{ a: 1 }, 'Invalid Notes: {"a":1}', 'an object'],
		[['a'], 'Invalid Notes: ["a"]', 'an array'],
		[new Date(Date.UTC(2025, 0, 15)), 'Invalid Notes: "2025-01-15T00:00:00.000Z"', 'an object'],
	])('refuses %p', (value, message, kind) => {
		const error = caught(() => toNotesText(ctx, value, 2));
		expect(error.message).toBe(message);
		expect(error.description).toContain(`Notes must be text, but the value is ${kind}. Map a text field`);
		expect(error.context.itemIndex).toBe(2);
	});
});

describe('toNexudusDate', () => {
	const ctx = contextWith({});

	it('names the field, the value and the likely cause', () => {
		const error = caught(() => toNexudusDate(ctx, 45672, 'Assigned From', 1, 'UTC'));
		expect(error.message).toBe('Invalid Assigned From: 45672');
		expect(error.description).toMatch(
			/^It looks like a spreadsheet serial date \(days since 1899-12-30; 45672 is 2025-01-15\): format that column as a date, or convert it\. Use ISO 8601 .*in the years 1980 to 2100\./,
		);
	});
});
