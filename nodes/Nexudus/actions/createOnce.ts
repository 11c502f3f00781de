import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { NexudusRequest } from '../transport';
import {
	DEFAULT_TIMEOUT_MS,
	MAX_FAULT_RETRIES,
	NexudusMaybeAppliedError,
	cancelSignal,
	nexudusApiRequest,
} from '../transport';
import type { PacingSettings } from '../transport/pacing';
import { waitFor } from '../transport/pacing';

/*
 * The one create-once of the node: send a create once; when the answer says nothing sure, look
 * the record up on a schedule and send again only when it is surely absent.
 */

/** Finds the record this create made, if it exists (`sentAt`: when the first try left). */
export type CreatedLookup = (sentAt: number) => Promise<IDataObject | undefined>;

/** Why the answer left it open whether the create was applied. */
export type Uncertainty =
	/** Nexudus itself answered 5xx: its work on the request is over. */
	| 'answered'
	/** No answer from Nexudus (timeout, dropped connection, a gateway's page): it may still be working. */
	| 'unanswered'
	/** A 2xx saying success, but no Id of the new record. */
	| 'noId';

/** When to look after an uncertain answer, in ms after it. */
export type LookupSchedule = (uncertainty: Uncertainty) => number[];

export interface CreateOnceRequest {
	request: NexudusRequest;
	lookup: CreatedLookup;
	schedule: LookupSchedule;
	/** "the assignment", "the coworker": named in messages. */
	what: string;
	/** Where to check in Nexudus before running the item again. */
	checkIn: string;
}

/**
 * A commit behind a gateway error or a lost connection can land well after the node gave up
 * waiting: the lookups after one cover at least this long, whatever the Timeout option says.
 */
export const MIN_LOOKUP_WINDOW_MS = 30_000;

/** Parts of the window: at once (a 500 after the commit), then as a late commit lands. */
const LOOKUPS_AT = [0, 1 / 15, 1 / 6, 1 / 3, 2 / 3, 1];

/**
 * The schedule of the node's creates: over the Timeout after Nexudus's own 5xx; over at least
 * MIN_LOOKUP_WINDOW_MS when Nexudus may still be working on the request.
 */
export function lookupSchedule(pacing: PacingSettings): LookupSchedule {
	const timeout = pacing.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	return (uncertainty) => {
		const window = uncertainty === 'answered' ? timeout : Math.max(timeout, MIN_LOOKUP_WINDOW_MS);
		return LOOKUPS_AT.map((part) => part * window);
	};
}

/** Nexudus's answer to a write: `{WasSuccessful, Value: {Id}, ...}` (anything else is not). */
function isNexudusAnswer(answer: unknown): answer is IDataObject {
	return (
		typeof answer === 'object' &&
		answer !== null &&
		!Array.isArray(answer) &&
		typeof (answer as IDataObject).WasSuccessful === 'boolean'
	);
}

function newId(answer: IDataObject): number | undefined {
	const id = Number((answer.Value as IDataObject | null | undefined)?.Id);
	return Number.isInteger(id) && id > 0 ? id : undefined;
}

function uncertaintyOf(error: NexudusMaybeAppliedError): Uncertainty {
	return error.httpCode === '500' ? 'answered' : 'unanswered';
}

/** A fault that leaves the create open, for an answer the transport passed as success. */
function answerFault(
	ctx: IExecuteFunctions,
	answer: unknown,
	itemIndex: number | undefined,
): { error: NodeApiError; uncertainty: Uncertainty } {
	const nexudus = isNexudusAnswer(answer);
	const message = nexudus
		? 'Nexudus answered the create as done but gave no Id of the new record'
		: 'Nexudus answered the create with a page that is not its JSON answer';
	return {
		error: new NodeApiError(ctx.getNode(), { message }, { message, itemIndex }),
		uncertainty: nexudus ? 'noId' : 'unanswered',
	};
}

/**
 * Creates a record once. A 5xx, a timeout, a lost connection, a 2xx that is not Nexudus's answer
 * or has no Id: the create may have been applied, or may still be: look it up on the schedule,
 * and send again only when it did not appear (never after a success without an Id).
 */
export async function createOnce(
	this: IExecuteFunctions,
	{ request, lookup, schedule, what, checkIn }: CreateOnceRequest,
): Promise<{ response: IDataObject; id: number; recovered: boolean }> {
	const signal = cancelSignal(this);
	const pacing = request.pacing;
	const retries = Math.min(MAX_FAULT_RETRIES, pacing?.maxRetries ?? MAX_FAULT_RETRIES);
	const sentAt = Date.now();
	for (let resent = 0; ; resent++) {
		const outcome = await nexudusApiRequest.call(this, { ...request, method: 'POST' }).then(
			(answer) => ({ answer }),
			(error: unknown) => ({ error }),
		);
		let fault: { error: NodeApiError; uncertainty: Uncertainty };
		if ('answer' in outcome) {
			const { answer } = outcome;
			const id = isNexudusAnswer(answer) ? newId(answer) : undefined;
			if (id !== undefined) return { response: answer as IDataObject, id, recovered: false };
			fault = answerFault(this, answer, request.itemIndex);
		} else {
			// The transport marks every answer that may have been applied with this type.
			if (!(outcome.error instanceof NexudusMaybeAppliedError)) throw outcome.error;
			fault = { error: outcome.error, uncertainty: uncertaintyOf(outcome.error) };
		}
		const lookupsFrom = Date.now();
		const times = schedule(fault.uncertainty);
		for (const at of times) {
			await waitFor(lookupsFrom + at - Date.now(), signal);
			let found: IDataObject | undefined;
			try {
				found = await lookup(sentAt);
			} catch (lookupError) {
				throw new NodeOperationError(this.getNode(), fault.error.message, {
					description: `The create may have been applied: looking for ${what} failed too (${(lookupError as Error).message}). Check ${checkIn} in Nexudus before running this item again.`,
					itemIndex: request.itemIndex,
				});
			}
			const id = Number(found?.Id);
			if (found && Number.isInteger(id) && id > 0) {
				return {
					response: { WasSuccessful: true, Value: found, recoveredAfterFault: true },
					id,
					recovered: true,
				};
			}
		}
		const seconds = Math.round((times[times.length - 1] ?? 0) / 1000);
		if (fault.uncertainty === 'noId') {
			throw new NodeOperationError(this.getNode(), fault.error.message, {
				description: `The create may have been applied: the node looked for ${what} for ${seconds} s and did not find it, so it did not send it again. Check ${checkIn} in Nexudus before running this item again.`,
				itemIndex: request.itemIndex,
			});
		}
		if (resent >= retries) {
			const { error } = fault;
			error.description = `${error.description ? `${error.description} ` : ''}Nothing was created: after each failed try the node looked for ${what} for ${seconds} s and found none.`;
			throw error;
		}
	}
}
