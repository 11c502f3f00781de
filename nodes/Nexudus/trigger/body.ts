import type { IDataObject } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

export type ParsedDelivery = { records: IDataObject[] } | { problem: string };

const isRecord = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The records of a delivery, read from the raw bytes whatever the Content-Type says: the
 * Content-Type is not signed, so it must not decide how signed bytes are read. Nexudus sends
 * SerializeObject(new[] { dto }): a JSON array of records. Anything else is not a Nexudus delivery.
 */
export function parseDelivery(rawBody: Buffer | undefined): ParsedDelivery {
	if (rawBody === undefined || rawBody.length === 0) return { problem: 'The delivery has no body' };
	let body: unknown;
	try {
		body = jsonParse<unknown>(rawBody.toString('utf8'));
	} catch {
		return { problem: 'The delivery body is not JSON' };
	}
	if (!Array.isArray(body)) {
		return { problem: 'The delivery body is not a JSON array of records, as Nexudus sends' };
	}
	if (body.length === 0) return { problem: 'The delivery body is an empty array, with no record' };
	if (!body.every(isRecord)) {
		return { problem: 'The delivery body holds something other than records (JSON objects)' };
	}
	return { records: body };
}
