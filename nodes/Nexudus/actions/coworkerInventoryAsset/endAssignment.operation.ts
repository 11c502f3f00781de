import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	assignmentLocator,
	coworkerLocator,
	locationLocator,
	optionsCollection,
} from '../common.descriptions';
import { invalidParameterError } from '../../helpers/errors';
import {
	assertExpressionNotEmpty,
	readIdParameter,
	readPacing,
	toNexudusDate,
} from '../../helpers/parameters';
import { isOpenAssignment, nexudusInstant } from '../../helpers/simplify';
import { nexudusListAll } from '../../transport';
import { ExecutionCancelledError } from '../../transport/pacing';
import type { PacingSettings } from '../../transport/pacing';

import { locationIdOf, readCoworkerId } from '../locators';
import { ENDPOINT, fetchAssignment, putAssignment, writableFields } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Assignments to End',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'All Open Assignments of a Coworker',
				value: 'allOfCoworker',
				description:
					'Offboarding: end every assignment of the coworker still open at the End Date, with one output item per assignment',
			},
			{
				name: 'One Assignment',
				value: 'one',
				description: 'End the assignment chosen below',
			},
		],
		default: 'one',
		description: 'Whether to end one assignment, or every open assignment of a coworker',
	},
	{
		...assignmentLocator,
		displayOptions: { show: { scope: ['one'] } },
		description: 'The assignment to end; By ID takes the Id that Create, Get or Get Many output',
	},
	{
		...coworkerLocator,
		displayOptions: { show: { scope: ['allOfCoworker'] } },
		description:
			'The member (Nexudus coworker) whose open assignments end, e.g. because they leave',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		placeholder: 'Empty means now',
		description: 'When the member gives the assets back (the Assigned To to set); empty means now',
		hint: 'Empty means now; ISO 8601, RFC 2822 or epoch, and a time without an offset is in the workflow time zone',
	},
	optionsCollection({
		...locationLocator,
		displayName: 'Only at Location',
		required: false,
		displayOptions: { show: { '/scope': ['allOfCoworker'] } },
		description:
			'End only the open assignments at this Nexudus location (business); leave out to end them at every location',
	}),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['endAssignment'] } },
	properties,
);

/** Fields of the whole record worth showing next to the writable ones (to collect the asset). */
const DESCRIPTIVE_FIELDS = ['CoworkerFullName', 'InventoryAssetName', 'InventoryAssetSku'];

function outputOf(
	assignment: IDataObject,
	record: IDataObject,
	extra: IDataObject = {},
): IDataObject {
	const json: IDataObject = { ...assignment };
	for (const field of DESCRIPTIVE_FIELDS) {
		if (record[field] !== undefined) json[field] = record[field];
	}
	return { ...json, ...extra };
}

/** Now, to the second, as Nexudus dates are written. */
function nowNexudusDate(): string {
	return `${new Date().toISOString().slice(0, 19)}Z`;
}

/** Why an assignment cannot end at `endDate`; undefined when it can. */
function startsAfter(record: IDataObject, endMs: number): string | undefined {
	const from = nexudusInstant(record.AssignedFrom);
	return from !== undefined && from > endMs ? String(record.AssignedFrom as string) : undefined;
}

/** GET the whole record, set AssignedTo, PUT it whole. */
async function endOne(
	ctx: IExecuteFunctions,
	record: IDataObject,
	endDate: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	const assignment = { ...writableFields(record), AssignedTo: endDate };
	await putAssignment.call(ctx, assignment, itemIndex, pacing);
	return outputOf(assignment, record);
}

function paired(ctx: IExecuteFunctions, items: IDataObject[], itemIndex: number) {
	return ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(items), {
		itemData: { item: itemIndex },
	});
}

async function endSingle(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endDate: string,
	endMs: number,
	pacing: PacingSettings,
): Promise<INodeExecutionData[]> {
	const id = readIdParameter(ctx, 'coworkerInventoryAsset', 'Coworker Inventory Asset', itemIndex);
	const record = await fetchAssignment.call(ctx, id, itemIndex, pacing);
	if (!isOpenAssignment(record, endMs)) {
		// Already given back: re-running an offboarding changes nothing.
		const reason = `Assignment ${id} already ended at ${String(record.AssignedTo as string)}, on or before the End Date ${endDate}; left unchanged`;
		return paired(
			ctx,
			[outputOf(writableFields(record), record, { skipped: true, reason })],
			itemIndex,
		);
	}
	const start = startsAfter(record, endMs);
	if (start !== undefined) {
		throw invalidParameterError(
			ctx.getNode(),
			'End Date',
			endDate,
			`Assignment ${id} starts at ${start}, after the End Date ${endDate}: it cannot end before it starts. Give a later End Date, or delete the assignment if the member never takes the asset. Nothing was sent.`,
			itemIndex,
		);
	}
	return paired(ctx, [await endOne(ctx, record, endDate, itemIndex, pacing)], itemIndex);
}

function describeFailure(error: unknown): { message: string; description?: string } {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return { message: error.message, description: error.description ?? undefined };
	}
	return { message: error instanceof Error ? error.message : String(error) };
}

/** 401/403: every other assignment would fail the same way. */
function failsForAll(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && ['401', '403'].includes(String(error.httpCode));
}

async function endAllOfCoworker(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endDate: string,
	endMs: number,
	pacing: PacingSettings,
): Promise<INodeExecutionData[]> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	// Ids first (no request), then the lookups By Email and By Name.
	const location =
		'location' in options
			? ctx.getNodeParameter('options.location', itemIndex, undefined)
			: undefined;
	const coworkerId = await readCoworkerId(ctx, 'coworker', 'Coworker', itemIndex, pacing);
	const qs: IDataObject = { CoworkerInventoryAsset_Coworker: coworkerId };
	if ('location' in options) {
		qs.CoworkerInventoryAsset_Business = await locationIdOf(
			ctx,
			location,
			'Only at Location',
			itemIndex,
			pacing,
		);
	}

	const listed = await nexudusListAll.call(ctx, {
		endpoint: ENDPOINT,
		qs,
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	});
	// List records are partial: only the choice is made from them, each PUT from a fresh GET.
	const open = listed
		.filter((record) => isOpenAssignment(record, endMs))
		.map((record) => Number(record.Id))
		.sort((a, b) => a - b);

	const out: IDataObject[] = [];
	const ended: number[] = [];
	const failures: Array<{ id: number; message: string; description?: string }> = [];
	const refusedForAll: NodeApiError[] = [];
	for (const id of open) {
		try {
			const record = await fetchAssignment.call(ctx, id, itemIndex, pacing);
			// Ended by someone else since the list was read: nothing to do.
			if (!isOpenAssignment(record, endMs)) continue;
			const start = startsAfter(record, endMs);
			if (start !== undefined) {
				const reason = `Assignment ${id} starts at ${start}, after the End Date ${endDate}: it cannot end before it starts, so it was left unchanged. Delete it if the member will not take the asset.`;
				out.push(outputOf(writableFields(record), record, { skipped: true, reason }));
				continue;
			}
			out.push(await endOne(ctx, record, endDate, itemIndex, pacing));
			ended.push(id);
		} catch (error) {
			if (error instanceof ExecutionCancelledError) {
				throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
			}
			// Tried one by one to the end: a 403 may hold for one location only (a user with
			// location-restricted roles), and every assignment is reported either way.
			failures.push({ id, ...describeFailure(error) });
			if (failsForAll(error)) refusedForAll.push(error);
		}
	}

	// Refused for the account as a whole, nothing done: one error, as for any other request.
	if (refusedForAll.length === open.length && open.length > 0 && out.length === 0) {
		const [first] = refusedForAll;
		throw new NodeApiError(
			ctx.getNode(),
			{ message: first.message },
			{
				message: first.message,
				description: first.description ?? undefined,
				httpCode: String(first.httpCode),
				itemIndex,
			},
		);
	}

	if (failures.length > 0 && !ctx.continueOnFail()) {
		const lines = failures.map(
			(f) => `Assignment ${f.id}: ${f.message}${f.description ? ` (${f.description})` : ''}`,
		);
		throw new NodeOperationError(
			ctx.getNode(),
			`Could not end ${failures.length} of ${open.length} open assignments of coworker ${coworkerId}`,
			{
				description: `${lines.join('\n')}\nEnded: ${ended.length ? ended.join(', ') : 'none'} (those changes stand). Running again ends only the assignments still open.`,
				itemIndex,
			},
		);
	}
	const results = paired(ctx, out, itemIndex);
	// With "continue", each failed assignment is an error item (n8n routes it to the error output).
	for (const failure of failures) {
		const json: IDataObject = {
			error: `Could not end assignment ${failure.id}: ${failure.message}`,
		};
		if (failure.description) json.message = failure.description;
		results.push({ json, pairedItem: { item: itemIndex } });
	}
	return results;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const scope = this.getNodeParameter('scope', itemIndex, 'one') as string;
	const endDateValue = this.getNodeParameter('endDate', itemIndex, '');
	assertExpressionNotEmpty(this, 'endDate', 'End Date', endDateValue, itemIndex, {
		means: 'now',
		expected: 'a date',
		onPurpose:
			'clear the End Date field (a fixed empty value, not an expression) to end the assignments now',
	});
	const endDate =
		toNexudusDate(this, endDateValue, 'End Date', itemIndex, this.getTimezone()) ??
		nowNexudusDate();
	const endMs = Date.parse(endDate);
	const pacing = readPacing(this, itemIndex);
	return scope === 'allOfCoworker'
		? await endAllOfCoworker(this, itemIndex, endDate, endMs, pacing)
		: await endSingle(this, itemIndex, endDate, endMs, pacing);
}
