import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SIMPLIFIED_ASSIGNMENT_FIELDS } from '../../helpers/simplify';
import type { PacingSettings } from '../../transport/pacing';
import { createOnce, lookupSchedule } from '../createOnce';

import type { NewAssignment } from './shared';
import { ENDPOINT, findCreated } from './shared';

/* What Create sends once and outputs, for an asset given by Id or By Kind. */

/** A skipped item shows the existing assignment as Simplify does, without its Notes. */
export const SKIPPED_FIELDS: string[] = SIMPLIFIED_ASSIGNMENT_FIELDS.filter(
	(field) => field !== 'Notes',
);

/** Creates the assignment once (see createOnce), found again by its own fields after a fault. */
export async function createExactlyOnce(
	this: IExecuteFunctions,
	assignment: NewAssignment,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	const { response } = await createOnce.call(this, {
		request: {
			method: 'POST',
			endpoint: ENDPOINT,
			body: assignment,
			role: 'CoworkerInventoryAsset-Create',
			itemIndex,
			pacing,
		},
		lookup: async (sentAt) => await findCreated.call(this, assignment, sentAt, itemIndex, pacing),
		schedule: lookupSchedule(pacing),
		what: 'the assignment',
		checkIn: "the coworker's assignments",
	});
	return response;
}

/** The output of an item that created nothing because an open assignment is already there. */
export function skippedItem(
	ctx: IExecuteFunctions,
	existing: IDataObject,
	reason: string,
	itemIndex: number,
): INodeExecutionData[] {
	const json: IDataObject = {};
	for (const field of SKIPPED_FIELDS) {
		if (existing[field] !== undefined) json[field] = existing[field];
	}
	return ctx.helpers.constructExecutionMetaData(
		ctx.helpers.returnJsonArray({
			...json,
			skipped: true,
			reason: `${reason}. Nothing was created.`,
		}),
		{ itemData: { item: itemIndex } },
	);
}

export function createdItem(
	ctx: IExecuteFunctions,
	assignment: NewAssignment,
	response: IDataObject,
	options: IDataObject,
	itemIndex: number,
	picked?: IDataObject,
): INodeExecutionData[] {
	const value = (response.Value ?? {}) as IDataObject;
	const json: IDataObject = options.rawResponse
		? response
		: {
				Id: value.Id,
				CoworkerId: assignment.CoworkerId,
				BusinessId: assignment.BusinessId,
				InventoryAssetId: assignment.InventoryAssetId,
				// By Kind: which asset the member got.
				...(picked
					? { InventoryAssetName: picked.Name ?? null, InventoryAssetSku: picked.Sku ?? null }
					: {}),
				AssignedFrom: assignment.AssignedFrom,
				AssignedTo: assignment.AssignedTo ?? null,
				Notes: assignment.Notes ?? null,
			};
	return ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
