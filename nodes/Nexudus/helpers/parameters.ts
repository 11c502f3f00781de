import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidDateError, isEmptyDate, toNexudusDateTime } from './dates';
import { invalidParameterError, showValue, truncateForMessage } from './errors';
import type { PacingSettings } from '../transport/pacing';
import { DEFAULT_MAX_REQUEST_MS, NEXUDUS_PACING } from '../transport/pacing';

const DATE_FORMS =
	'Use ISO 8601 (2025-01-15 or 2025-01-15T10:30:00, with an optional offset such as +01:00 or Z), yyyy-MM-dd HH:mm, RFC 2822, or epoch seconds or milliseconds, in the years 1980 to 2100. Without an offset the time is read in the workflow time zone.';

/**
 * The expression of a node parameter, as written in the editor (without the leading '='), or
 * undefined when the parameter holds a fixed value or is absent. `path` follows the node's
 * parameters: 'endDate', 'additionalFields.assignedTo', 'filters.assignedFromAfter'. A resource
 * locator's expression is its value's.
 */
export function parameterExpression(ctx: IExecuteFunctions, path: string): string | undefined {
	let raw: unknown = ctx.getNode().parameters;
	for (const key of path.split('.')) {
		if (typeof raw !== 'object' || raw === null) return undefined;
		raw = (raw as Record<string, unknown>)[key];
	}
	if (typeof raw === 'object' && raw !== null && '__rl' in raw) {
		raw = (raw as INodeParameterResourceLocator).value;
	}
	return typeof raw === 'string' && raw.startsWith('=') ? raw.slice(1) : undefined;
}

/** What an empty value of a field means, and how to get that meaning on purpose. */
export interface EmptyMeaning {
	/** "an open-ended assignment" */
	means: string;
	/** "a date" */
	expected: string;
	/** "remove Assigned To from Additional Fields" */
	onPurpose: string;
}

/**
 * For a field where empty has a meaning (open-ended, now, no filter, clear): an expression that
 * evaluates to empty (undefined, null, '' or whitespace) is a mapping that found nothing, not a
 * choice, so the item fails instead of silently taking that meaning. A field left blank in the
 * editor (a fixed value, not an expression) keeps its meaning.
 */
export function assertExpressionNotEmpty(
	ctx: IExecuteFunctions,
	path: string,
	field: string,
	value: unknown,
	itemIndex: number,
	empty: EmptyMeaning,
): void {
	if (!isEmptyDate(value)) return;
	const expression = parameterExpression(ctx, path);
	if (expression === undefined) return;
	const shown = truncateForMessage(expression.trim());
	throw new NodeOperationError(
		ctx.getNode(),
		`Invalid ${field}: the expression ${shown} evaluated to empty (${value === undefined ? 'undefined' : showValue(value)})`,
		{
			description:
				`An empty ${field} means ${empty.means}, which a mapping that found nothing should not decide. ` +
				`Fix the expression or the input data so that it gives ${empty.expected}, or ${empty.onPurpose}. ` +
				'Nothing was sent for this item.',
			itemIndex,
		},
	);
}

/**
 * Notes as the text Nexudus stores: numbers and booleans become their text, undefined and null
 * stay as they are, objects and arrays are an error (they would be dropped or sent as
 * "[object Object]").
 */
export function toNotesText(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): string | null | undefined {
	if (value === undefined || value === null || typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		return String(value);
	}
	const kind = Array.isArray(value)
		? 'an array'
		: typeof value === 'object'
			? 'an object'
			: `a ${typeof value}`;
	throw invalidParameterError(
		ctx.getNode(),
		'Notes',
		value,
		`Notes must be text, but the value is ${kind}. Map a text field (for example {{ $json.notes }}), or turn the value into text in the expression (for example {{ JSON.stringify($json.details) }}).`,
		itemIndex,
	);
}

/**
 * A Nexudus Id: a positive whole number, given as a number or a digit string. `fromList` (the
 * default) says the field offers a list to pick from, which the error then suggests.
 */
export function toNexudusId(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
	{ fromList = true }: { fromList?: boolean } = {},
): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (/^[0-9]+$/.test(text)) {
		const id = Number(text);
		if (Number.isSafeInteger(id) && id > 0) return id;
	}
	throw invalidParameterError(
		ctx.getNode(),
		field,
		value,
		`${field} must be a Nexudus Id: a positive whole number such as 1234 (${fromList ? 'pick it from the list, or map a numeric field' : 'type the Id, or map a numeric field'}).`,
		itemIndex,
	);
}

/** Reads a resource locator parameter (From List or By ID) as a Nexudus Id. */
export function readIdParameter(
	ctx: IExecuteFunctions,
	name: string,
	field: string,
	itemIndex: number,
): number {
	// Our locators' modes (From List, By ID) hold the Id itself, so the value is read directly:
	// n8n's extractValue would look the property up again on every item of a large batch.
	const raw = ctx.getNodeParameter(name, itemIndex, undefined) as unknown;
	const value =
		typeof raw === 'object' && raw !== null && 'value' in raw
			? (raw as INodeParameterResourceLocator).value
			: raw;
	return toNexudusId(ctx, value, field, itemIndex);
}

function sentence(text: string): string {
	const trimmed = text.trim();
	const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
	return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

/** A date the user gave, as the UTC ISO 8601 text Nexudus expects; undefined when empty. */
export function toNexudusDate(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
	timeZone: string,
): string | undefined {
	if (isEmptyDate(value)) return undefined;
	try {
		return toNexudusDateTime(value, timeZone);
	} catch (error) {
		if (error instanceof InvalidDateError) {
			throw invalidParameterError(
				ctx.getNode(),
				field,
				value,
				`${sentence(error.reason)} ${DATE_FORMS}`,
				itemIndex,
			);
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

/** Same as toNexudusDate, but an empty value is an error. */
export function toRequiredNexudusDate(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
	timeZone: string,
): string {
	const date = toNexudusDate(ctx, value, field, itemIndex, timeZone);
	if (date === undefined) {
		throw invalidParameterError(
			ctx.getNode(),
			field,
			value,
			`${field} is required. ${DATE_FORMS}`,
			itemIndex,
		);
	}
	return date;
}

/** Assigned To before Assigned From would be an assignment that ends before it starts. */
export function assertDateOrder(
	ctx: IExecuteFunctions,
	assignedFrom: string,
	assignedTo: string | undefined,
	itemIndex: number,
): void {
	if (assignedTo !== undefined && Date.parse(assignedTo) < Date.parse(assignedFrom)) {
		throw invalidParameterError(
			ctx.getNode(),
			'Assigned To',
			assignedTo,
			`Assigned To (${assignedTo}) is before Assigned From (${assignedFrom}): an assignment cannot end before it starts. Swap the dates or leave Assigned To empty.`,
			itemIndex,
		);
	}
}

/** An option of the Options collection that is not a usable value: names it, its value and the fix. */
export class InvalidOptionError extends Error {
	readonly description: string;

	constructor(field: string, value: unknown, fix: string) {
		super(`Invalid ${field}: ${showValue(value)}`);
		this.name = 'InvalidOptionError';
		this.description = `${fix} Nothing was sent for this item.`;
	}
}

/** The request pacing set in the operation's Options, defaulting to Nexudus's limits. */
export function readPacing(ctx: IExecuteFunctions, itemIndex: number): PacingSettings {
	try {
		return pacingFrom(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject);
	} catch (error) {
		// An InvalidOptionError carries the option, its value and the fix (message, description).
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

interface NumberOption {
	name: string;
	field: string;
	min: number;
	whole?: boolean;
	example: string;
}

/**
 * A number option: a number, or a number written as text (an expression gives text); anything
 * else is an error, never the default. Left out, it is the default.
 */
function numberOption(options: IDataObject, option: NumberOption, fallback: number): number {
	const raw = options[option.name];
	if (raw === undefined) return fallback;
	const value = typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
	if (
		typeof value !== 'number' ||
		!Number.isFinite(value) ||
		value < option.min ||
		(option.whole === true && !Number.isInteger(value))
	) {
		throw new InvalidOptionError(
			option.field,
			raw,
			`${option.field} (in Options) must be ${option.whole ? 'a whole number' : 'a number'} of at least ${option.min}, such as ${option.example}; remove it from Options for the default.`,
		);
	}
	return value;
}

/** The pacing of an Options collection already read; throws InvalidOptionError for a bad value. */
export function pacingFrom(options: IDataObject): PacingSettings {
	const read = (option: NumberOption, fallback: number) => numberOption(options, option, fallback);
	return {
		...NEXUDUS_PACING,
		minIntervalMs: read(
			{ name: 'minIntervalMs', field: 'Request Interval', min: 0, example: '100' },
			NEXUDUS_PACING.minIntervalMs,
		),
		writesPerMinute: read(
			{ name: 'writesPerMinute', field: 'Writes per Minute', min: 0, whole: true, example: '60' },
			NEXUDUS_PACING.writesPerMinute,
		),
		maxRetries: read(
			{ name: 'maxRetries', field: 'Max Retries', min: 0, whole: true, example: '10' },
			NEXUDUS_PACING.maxRetries,
		),
		windowMs:
			read(
				{ name: 'writeWindowSeconds', field: 'Write Window (Seconds)', min: 0.1, example: '60' },
				NEXUDUS_PACING.windowMs / 1000,
			) * 1000,
		timeoutMs:
			read({ name: 'timeoutSeconds', field: 'Timeout (Seconds)', min: 0.1, example: '60' }, 60) *
			1000,
		maxRequestMs:
			read(
				{ name: 'maxRequestSeconds', field: 'Max Time per Request', min: 1, example: '300' },
				DEFAULT_MAX_REQUEST_MS / 1000,
			) * 1000,
	};
}

/** Get Many's Limit: a whole number of at least 1 (digit strings from expressions too). */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
		throw invalidParameterError(
			ctx.getNode(),
			'Limit',
			raw,
			'Limit must be a whole number of at least 1, or turn on Return All.',
			itemIndex,
		);
	}
	return value;
}
