import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PacingSettings } from '../../transport/pacing';
import { nexudusApiRequest } from '../../transport';

export const ENDPOINT = '/api/spaces/coworkerinventoryassets';

/** The whole record (list records are partial: never build a PUT from one). */
export async function fetchAssignment(
	this: IExecuteFunctions,
	id: number,
	itemIndex: number,
	pacing?: PacingSettings,
): Promise<IDataObject> {
	return (await nexudusApiRequest.call(this, {
		method: 'GET',
		endpoint: `${ENDPOINT}/${id}`,
		role: 'CoworkerInventoryAsset-Read',
		subject: `coworker inventory asset ${id}`,
		itemIndex,
		pacing,
	})) as IDataObject;
}

/** What a PUT sends: Nexudus clears any field left out, so always all of them. */
export interface WritableAssignment extends IDataObject {
	Id: number;
	CoworkerId: number;
	BusinessId: number;
	InventoryAssetId: number;
	AssignedFrom: string;
	AssignedTo: string | null;
	Notes: string | null;
}

/** The writable fields of a whole record read with GET (never from a partial list record). */
export function writableFields(record: IDataObject): WritableAssignment {
	const text = (value: unknown) =>
		value === undefined || value === null ? null : String(value as string);
	return {
		Id: Number(record.Id),
		CoworkerId: Number(record.CoworkerId),
		BusinessId: Number(record.BusinessId),
		InventoryAssetId: Number(record.InventoryAssetId),
		AssignedFrom: String(record.AssignedFrom as string),
		AssignedTo: text(record.AssignedTo) === '' ? null : text(record.AssignedTo),
		Notes: text(record.Notes),
	};
}

/** PUTs the whole assignment back (Nexudus has no PATCH). */
export async function putAssignment(
	this: IExecuteFunctions,
	assignment: WritableAssignment,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<void> {
	await nexudusApiRequest.call(this, {
		method: 'PUT',
		endpoint: ENDPOINT,
		body: assignment,
		role: 'CoworkerInventoryAsset-Edit',
		subject: `coworker inventory asset ${assignment.Id}`,
		itemIndex,
		pacing,
	});
}
