import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';

/** The fields of an assignment a workflow uses, in output order (IsOpen is added after them). */
export const SIMPLIFIED_ASSIGNMENT_FIELDS = [
	'Id',
	'CoworkerId',
	'CoworkerFullName',
	'BusinessId',
	'InventoryAssetId',
	'InventoryAssetName',
	'InventoryAssetSku',
	'AssignedFrom',
	'AssignedTo',
	'Notes',
] as const;

/** The Simplify switch shared by Get and Get Many. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to output only the IDs, names, SKU, dates and notes, plus IsOpen (true while AssignedTo is empty or in the future), instead of the whole Nexudus record',
};

/**
 * A Nexudus date as epoch milliseconds; undefined when empty or unreadable. Nexudus sends UTC
 * ISO 8601, sometimes without the Z: a value without an offset is read as UTC.
 */
export function nexudusInstant(value: unknown): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const parsed = DateTime.fromISO(value.trim(), { zone: 'utc' });
	return parsed.isValid ? parsed.toMillis() : undefined;
}

/**
 * Whether the member still has the asset: AssignedTo is empty, or later than `now`.
 * An AssignedTo that cannot be read as a date counts as not open (it is not empty, and it is
 * not known to be in the future).
 */
export function isOpenAssignment(record: IDataObject, now: number = Date.now()): boolean {
	const assignedTo = record.AssignedTo;
	if (assignedTo === undefined || assignedTo === null) return true;
	if (typeof assignedTo === 'string' && assignedTo.trim() === '') return true;
	const end = nexudusInstant(assignedTo);
	return end !== undefined && end > now;
}

/**
 * The given fields of a record. A field the record does not carry is left out rather than shown
 * as null (list records have no Notes: a null would claim the notes are empty).
 */
export function pickFields(record: IDataObject, fields: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const field of fields) {
		if (field in record) picked[field] = record[field];
	}
	return picked;
}

/**
 * The fields a workflow uses, plus IsOpen. A field the record does not carry is left out rather
 * than shown as null (list records have no Notes: a null would claim the notes are empty).
 */
export function simplifyAssignment(record: IDataObject, now: number = Date.now()): IDataObject {
	const simple = pickFields(record, SIMPLIFIED_ASSIGNMENT_FIELDS);
	simple.IsOpen = isOpenAssignment(record, now);
	return simple;
}

/** The fields of a trigger's record a workflow uses, per kind of record. */
const SIMPLIFIED_EVENT_FIELDS: Record<'member' | 'contract', readonly string[]> = {
	member: [
		'Id',
		'FullName',
		'Email',
		'CoworkerType',
		'CompanyName',
		'TeamNames',
		'InvoicingBusinessId',
		'InvoicingBusinessName',
		'Active',
		'CreatedOn',
		'UpdatedOn',
	],
	contract: [
		'Id',
		'CoworkerId',
		'CoworkerFullName',
		'CoworkerEmail',
		'BusinessId',
		'TariffId',
		'TariffName',
		'StartDate',
		'RenewalDate',
		'CancellationDate',
		'Cancelled',
		'Active',
		'UpdatedOn',
	],
};

function recordKind(action: string): 'member' | 'contract' | undefined {
	if (action.startsWith('CoworkerContract')) return 'contract';
	if (['CoworkerCreate', 'CoworkerUpdate', 'CoworkerDelete', 'SendWelcomeEmail'].includes(action))
		return 'member';
	return undefined;
}

/**
 * A record a Nexudus webhook delivered, reduced to what a workflow uses: for members and
 * contracts their main fields; for other events every plain (not nested, not null) field.
 */
export function simplifyEventRecord(action: string, record: IDataObject): IDataObject {
	const kind = recordKind(action);
	if (kind) return pickFields(record, SIMPLIFIED_EVENT_FIELDS[kind]);
	const simple: IDataObject = {};
	for (const [field, value] of Object.entries(record)) {
		if (value !== null && typeof value !== 'object') simple[field] = value;
	}
	return simple;
}
