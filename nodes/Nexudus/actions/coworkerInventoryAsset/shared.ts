import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isOpenAssignment, nexudusInstant } from '../../helpers/simplify';
import type { PacingSettings } from '../../transport/pacing';
import { nexudusApiRequest, nexudusListAll } from '../../transport';

/*
 * The queries about coworker inventory assets, shared by the operations: read one, write one
 * back, find the ones that clash with a new one, find the one a create may have made.
 */

export const ENDPOINT = '/api/spaces/coworkerinventoryassets';

/** What a create sends. */
export interface NewAssignment extends IDataObject {
	CoworkerId: number;
	BusinessId: number;
	InventoryAssetId: number;
	AssignedFrom: string;
	AssignedTo?: string;
	Notes?: string;
}

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

/** The assignments of a location, or of every location the user may list, lowest Id first. */
export async function listAssignmentsOfLocation(
	this: IExecuteFunctions,
	businessId: number | undefined,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	return await nexudusListAll.call(this, {
		endpoint: ENDPOINT,
		qs: {
			...(businessId === undefined ? {} : { CoworkerInventoryAsset_Business: businessId }),
			orderBy: 'Id',
			dir: 'Ascending',
		},
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	});
}

/** Whether an existing assignment clashes with a new one of the same asset. */
export function overlaps(
	record: IDataObject,
	assignment: Pick<NewAssignment, 'AssignedFrom' | 'AssignedTo'>,
): boolean {
	const newFrom = Date.parse(assignment.AssignedFrom);
	const newTo = assignment.AssignedTo === undefined ? undefined : Date.parse(assignment.AssignedTo);
	// Open at the new start: no end, or an end after it.
	if (!isOpenAssignment(record, newFrom)) return false;
	// A new assignment that ends does not clash with one starting at or after its end.
	const from = nexudusInstant(record.AssignedFrom);
	return newTo === undefined || from === undefined || from < newTo;
}

/** Existing assignments of the asset that overlap the new one, latest start first. */
export async function findOverlapping(
	this: IExecuteFunctions,
	assignment: NewAssignment,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const records = await nexudusListAll.call(this, {
		endpoint: ENDPOINT,
		qs: { CoworkerInventoryAsset_InventoryAsset: assignment.InventoryAssetId },
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	});
	return records
		.filter((record) => overlaps(record, assignment))
		.sort(
			(a, b) =>
				(nexudusInstant(b.AssignedFrom) ?? 0) - (nexudusInstant(a.AssignedFrom) ?? 0) ||
				Number(b.Id) - Number(a.Id),
		);
}

/**
 * After a 5xx or a lost answer: the assignment made by this very create, if it exists. Dates
 * are compared as instants (Nexudus may write them without the Z).
 */
export async function findCreated(
	this: IExecuteFunctions,
	assignment: NewAssignment,
	sentAt: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject | undefined> {
	// The list filter takes minutes and its upper bound is that minute's start: widen it by one.
	const from = Date.parse(assignment.AssignedFrom);
	const minute = (time: number) => new Date(time).toISOString().slice(0, 16);
	const candidates = await nexudusListAll.call(this, {
		endpoint: ENDPOINT,
		qs: {
			CoworkerInventoryAsset_Coworker: assignment.CoworkerId,
			CoworkerInventoryAsset_InventoryAsset: assignment.InventoryAssetId,
			CoworkerInventoryAsset_Business: assignment.BusinessId,
			from_CoworkerInventoryAsset_AssignedFrom: minute(from),
			to_CoworkerInventoryAsset_AssignedFrom: minute(from + 60_000),
		},
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	});
	const instant = nexudusInstant;
	// Same assignment, made since this request was first sent (older twins are not ours).
	const ours = candidates.filter(
		(record) =>
			instant(record.AssignedFrom) === instant(assignment.AssignedFrom) &&
			instant(record.AssignedTo) === instant(assignment.AssignedTo) &&
			(instant(record.CreatedOn) ?? sentAt) >= sentAt - 120_000,
	);
	if (ours.length === 0) return undefined;
	// List records have no Notes: read the candidates whole to tell apart same-time twins.
	const full = (await nexudusApiRequest.call(this, {
		method: 'GET',
		endpoint: ENDPOINT,
		qs: { id: `[${ours.map((record) => String(record.Id)).join(',')}]` },
		role: 'CoworkerInventoryAsset-Read',
		itemIndex,
		pacing,
	})) as IDataObject[];
	const notes = (value: unknown) => (typeof value === 'string' ? value : '');
	return (Array.isArray(full) ? full : [])
		.filter((record) => notes(record.Notes) === notes(assignment.Notes))
		.sort((a, b) => Number(b.Id) - Number(a.Id))[0];
}
