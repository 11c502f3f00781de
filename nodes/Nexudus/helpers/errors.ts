import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** One entry of Nexudus's `Errors[]` array. */
export interface NexudusFieldError {
	PropertyName?: string | null;
	Message?: string | null;
	AttemptedValue?: unknown;
}

/** Nexudus's answer to a write: `WasSuccessful` is the truth, not the HTTP status. */
export interface NexudusActionResponse {
	Status?: number;
	Message?: string | null;
	Value?: unknown;
	WasSuccessful?: boolean;
	Errors?: NexudusFieldError[] | null;
}

/** The most characters of a user's value that an error message shows. */
export const MAX_SHOWN_CHARACTERS = 80;

/**
 * Shortens text for an error message: at most MAX_SHOWN_CHARACTERS, then "…" and the total
 * length, "2025-01-15xxxx… (10000 characters)", so a huge bad value never floods the message.
 */
export function truncateForMessage(text: string): string {
	if (text.length <= MAX_SHOWN_CHARACTERS) return text;
	let shown = text.slice(0, MAX_SHOWN_CHARACTERS);
	// Never cut an emoji (a surrogate pair) in half.
	if (/[\uD800-\uDBFF]$/.test(shown)) shown = shown.slice(0, -1);
	return `${shown}… (${text.length} characters)`;
}

/** A text value as an error message shows it: quoted (JSON escapes), shortened like truncateForMessage. */
export function quoteForMessage(text: string): string {
	if (text.length <= MAX_SHOWN_CHARACTERS) return JSON.stringify(text);
	const shortened = truncateForMessage(text);
	const cut = shortened.lastIndexOf('… (');
	return `${JSON.stringify(shortened.slice(0, cut))}${shortened.slice(cut)}`;
}

/** Any value a user gave, for an error message: strings quoted, others as JSON, shortened. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (typeof value === 'string') return quoteForMessage(value);
	if (typeof value === 'bigint') return `${value}n`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	try {
		return truncateForMessage(JSON.stringify(value) ?? String(value));
	} catch {
		return truncateForMessage(Object.prototype.toString.call(value));
	}
}

/**
 * Nexudus's field names as the node's parameters show them, with what the user can do about a
 * rejected value. Keys are lower case: Nexudus is not consistent about the case of PropertyName.
 */
const FIELDS: Record<string, { name: string; fix: string }> = {
	coworkerid: {
		name: 'Coworker',
		fix: 'Pick the member in Coworker, or check the Id given By ID.',
	},
	businessid: {
		name: 'Location',
		fix: 'Pick the location in Location, or check the Id given By ID.',
	},
	inventoryassetid: {
		name: 'Inventory Asset',
		fix: "Pick an asset of the chosen location in Inventory Asset, or change Location to the asset's.",
	},
	assignedfrom: {
		name: 'Assigned From',
		fix: 'Set Assigned From to a date, such as 2025-01-15T10:30.',
	},
	assignedto: {
		name: 'Assigned To',
		fix: 'Set Assigned To to a date on or after Assigned From, or leave it empty for an open-ended assignment.',
	},
	notes: { name: 'Notes', fix: 'Correct the text in Notes.' },
};

/** The node's name for a Nexudus field ("InventoryAssetId" → "Inventory Asset"), or the field itself. */
export function fieldDisplayName(propertyName: string): string {
	return FIELDS[propertyName.toLowerCase()]?.name ?? propertyName;
}

/**
 * Nexudus's summary message ("InventoryAssetId: no inventory asset with this Id, AssignedFrom:
 * is a required field") with each known field name at the start of a part replaced by the
 * parameter's name; Nexudus's own words stay.
 */
export function withDisplayNames(message: string): string {
	return message.replace(/(^|, )([A-Za-z]+): /g, (whole, before: string, field: string) =>
		FIELDS[field.toLowerCase()] ? `${before}${FIELDS[field.toLowerCase()].name}: ` : whole,
	);
}

/**
 * One line per Nexudus field error, named as the node's parameter, with Nexudus's words and
 * what to do: "Assigned From: is a required field (sent: null). Set Assigned From to a date...".
 */
export function describeFieldErrors(errors: NexudusFieldError[] | null | undefined): string[] {
	return (errors ?? []).map((entry) => {
		const known = entry.PropertyName ? FIELDS[entry.PropertyName.toLowerCase()] : undefined;
		const field = entry.PropertyName ? `${known?.name ?? entry.PropertyName}: ` : '';
		const line = `${field}${entry.Message ?? 'invalid'} (sent: ${showValue(entry.AttemptedValue)})`;
		return known ? `${line}. ${known.fix}` : line;
	});
}

export interface ErrorContext {
	itemIndex?: number;
	/** Nexudus role the request needs, for 403 messages: "CoworkerInventoryAsset-Create". */
	role: string;
	/** What was asked for, for 404 messages: "coworker inventory asset 42". */
	subject?: string;
	baseUrl: string;
}

function bodyMessage(body: unknown): string | undefined {
	const message = (body as NexudusActionResponse | undefined)?.Message;
	return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

/** Maps a Nexudus answer that is not a success to an error a workflow builder can act on. */
export function nexudusResponseError(
	node: INode,
	statusCode: number,
	body: unknown,
	context: ErrorContext,
): NodeApiError {
	const said = bodyMessage(body);
	const fieldErrors = describeFieldErrors((body as NexudusActionResponse | undefined)?.Errors);
	let message: string;
	let description: string | undefined;

	if (statusCode === 400 || (statusCode >= 200 && statusCode < 300)) {
		message = said ? withDisplayNames(said) : `Nexudus rejected the request (HTTP ${statusCode})`;
		description = fieldErrors.length
			? `Nexudus reported:\n${fieldErrors.join('\n')}`
			: 'Nexudus gave no details. Check the values sent.';
	} else if (statusCode === 401) {
		message = context.role
			? `Nexudus refused the request (401) even with a fresh login: the user may lack the ${context.role} role`
			: 'Nexudus refused the login token (401), even after logging in again';
		description = `Nexudus answers 401 for a missing permission as well as for a bad login.${context.role ? ` Give the credential's user the role ${context.role} in Nexudus (Settings, Users, Roles), or make it a full unrestricted administrator;` : ''} check the credential (email, password, Two-Factor Secret) with its Test button, and that the user is active in Nexudus.`;
	} else if (statusCode === 403) {
		message = `The Nexudus user lacks the ${context.role} role (403)`;
		description = `Give the credential's user the role ${context.role} in Nexudus (Settings, Users, Roles), or make it a full unrestricted administrator.${said ? ` Nexudus said: "${said}"` : ''}`;
	} else if (statusCode === 404) {
		message = context.subject
			? `Nexudus has no ${context.subject} (404)`
			: `Nexudus answered 404 Not Found`;
		description = context.subject
			? 'Check the Id: it may have been deleted, or belong to another Nexudus account.'
			: `Check the credential's Base URL (${context.baseUrl}).`;
	} else if (statusCode === 409 || statusCode === 429) {
		message =
			said && statusCode === 409
				? `Nexudus reported a conflict: ${said}`
				: `Nexudus kept throttling the requests (${statusCode})`;
		description =
			said && statusCode === 409
				? undefined
				: 'Nexudus allows 60 writes a minute and one request per 100 ms. The node waited and retried as long as its Options allow; lower the pacing in Options or try again later.';
	} else if (statusCode >= 500) {
		message = `Nexudus had an internal error (HTTP ${statusCode})`;
		description = `${said ? `Nexudus said: "${said}". ` : ''}This is on Nexudus's side; the node retried where it was safe. Try again later.`;
	} else {
		message = said ?? `Nexudus answered HTTP ${statusCode}`;
		description = fieldErrors.length ? fieldErrors.join('\n') : undefined;
	}

	const errorBody: JsonObject = {
		message,
		httpCode: String(statusCode),
		...(said ? { nexudusMessage: said } : {}),
		...(fieldErrors.length ? { nexudusErrors: fieldErrors } : {}),
	};
	return new NodeApiError(node, errorBody, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex: context.itemIndex,
	});
}

/** A transport failure (no HTTP answer), built from scratch so no request detail leaks. */
export function nexudusNetworkError(
	node: INode,
	code: string,
	context: ErrorContext & { timeoutMs: number },
): NodeApiError {
	let message: string;
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
		message = `Nexudus did not answer within ${Math.round(context.timeoutMs / 1000)} seconds`;
	} else if (code === 'ECONNREFUSED') {
		message = `Could not connect to Nexudus at ${context.baseUrl} (connection refused)`;
	} else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		message = `Could not find the host of ${context.baseUrl}`;
	} else {
		message = 'The connection to Nexudus was lost before it answered';
	}
	// No code field in the body and none in the message: n8n would swap in its generic text.
	return new NodeApiError(
		node,
		{ message, connectionError: code },
		{
			message,
			description: `${code}. Check the credential's Base URL and the network. The node retried where it was safe; a create is never sent again without first checking that it did not happen.`,
			itemIndex: context.itemIndex,
		},
	);
}

/** Bad input: names the field, the value and the fix. Nothing is sent for that item. */
export function invalidParameterError(
	node: INode,
	field: string,
	value: unknown,
	fix: string,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(node, `Invalid ${field}: ${showValue(value)}`, {
		description: fix,
		itemIndex,
	});
}

/**
 * A 2xx that is not Nexudus's JSON (a maintenance page, a captive portal, a proxy's page):
 * never a success. Names the first characters of what came back.
 */
export function nexudusForeignAnswerError(
	node: INode,
	answer: { statusCode: number; what: string; contentType?: string; start: string },
	context: ErrorContext & { isWrite: boolean; tries: number },
): NodeApiError {
	const type = answer.contentType ? `, ${answer.contentType}` : '';
	const message = `The answer from ${context.baseUrl} is not Nexudus's: ${answer.what} (HTTP ${answer.statusCode}${type}) starting ${answer.start}`;
	const tried = context.tries > 1 ? ` The node asked ${context.tries} times.` : '';
	const description = context.isWrite
		? `Something in front of Nexudus (a maintenance page, a captive portal, a proxy) answered instead of Nexudus's API, so whether the change was applied is unknown.${tried} Check the record in Nexudus before running this item again, and check the Base URL and the network.`
		: `Something in front of Nexudus (a maintenance page, a captive portal, a proxy) answered instead of Nexudus's API; nothing was read from it.${tried} Check the credential's Base URL and the network, or try again later.`;
	return new NodeApiError(
		node,
		{ message, notNexudus: true },
		{ message, description, itemIndex: context.itemIndex },
	);
}
