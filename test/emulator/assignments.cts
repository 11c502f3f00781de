import type { ListEnvelope, FilterSpec, PageOptions, Query } from './lists.cjs';
import { listResponse, QueryError } from './lists.cjs';
import {
	actionFailedWith200,
	actionSucceeded,
	deleted,
	notFound,
	validationFailed,
	message,
	json,
	type ApiResponse,
	type FieldError,
} from './responses.cjs';
import {
	formatApiDate,
	nowApiDate,
	parseApiDate,
	type CoworkerInventoryAssetListItem,
	type CoworkerInventoryAssetView,
	type EmulatorDb,
} from './store.cjs';

const ENTITY = 'CoworkerInventoryAsset';

const FILTERS: Array<FilterSpec<CoworkerInventoryAssetView>> = [
	{ param: 'CoworkerInventoryAsset_Coworker', type: 'id', value: (r) => r.CoworkerId },
	{ param: 'CoworkerInventoryAsset_Business', type: 'id', value: (r) => r.BusinessId },
	{ param: 'CoworkerInventoryAsset_InventoryAsset', type: 'id', value: (r) => r.InventoryAssetId },
	{
		param: 'CoworkerInventoryAsset_InventoryAsset_Name',
		type: 'text',
		value: (r) => r.InventoryAssetName,
	},
	{
		param: 'CoworkerInventoryAsset_InventoryAsset_Sku',
		type: 'text',
		value: (r) => r.InventoryAssetSku,
	},
	{
		param: 'CoworkerInventoryAsset_Coworker_FullName',
		type: 'text',
		value: (r) => r.CoworkerFullName,
	},
	{ param: 'CoworkerInventoryAsset_AssignedFrom', type: 'dateRange', value: (r) => r.AssignedFrom },
	{ param: 'CoworkerInventoryAsset_AssignedTo', type: 'dateRange', value: (r) => r.AssignedTo },
];

interface AssignmentInput {
	CoworkerId: number;
	BusinessId: number;
	InventoryAssetId: number;
	AssignedFrom: string;
	AssignedTo: string | null;
	Notes: string | null;
}

type Body = Record<string, unknown>;

function asBody(body: unknown): Body {
	return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

function fieldError(name: string, attempted: unknown, text: string): FieldError {
	return { AttemptedValue: attempted ?? null, Message: text, PropertyName: name };
}

function isMissing(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/** JSON.NET also binds a string of digits to an int, so the emulator accepts both. */
function readInt(body: Body, name: string, errors: FieldError[]): number | undefined {
	const value = body[name];
	if (isMissing(value)) {
		errors.push(fieldError(name, value, 'is a required field'));
		return undefined;
	}
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
		errors.push(fieldError(name, value, 'is not a valid integer'));
		return undefined;
	}
	return number;
}

function readDate(body: Body, name: string, required: boolean, errors: FieldError[]) {
	const value = body[name];
	if (isMissing(value)) {
		if (required) errors.push(fieldError(name, value, 'is a required field'));
		return null;
	}
	const date = typeof value === 'string' ? parseApiDate(value) : undefined;
	if (!date) {
		errors.push(fieldError(name, value, 'is not a valid date'));
		return undefined;
	}
	return formatApiDate(date);
}

function readNotes(body: Body, errors: FieldError[]): string | null {
	const value = body.Notes;
	if (value === undefined || value === null) return null;
	if (typeof value === 'object') {
		errors.push(fieldError('Notes', value, 'is not a valid text'));
		return null;
	}
	return String(value);
}

type Validation = { ok: true; input: AssignmentInput } | { ok: false; response: ApiResponse };

/** Field checks give a 400 with every error; business rules give the 200 WasSuccessful:false. */
function validate(db: EmulatorDb, body: Body, errors: FieldError[]): Validation {
	const CoworkerId = readInt(body, 'CoworkerId', errors);
	const BusinessId = readInt(body, 'BusinessId', errors);
	const InventoryAssetId = readInt(body, 'InventoryAssetId', errors);
	const AssignedFrom = readDate(body, 'AssignedFrom', true, errors);
	const AssignedTo = readDate(body, 'AssignedTo', false, errors);
	const Notes = readNotes(body, errors);
	if (CoworkerId !== undefined && !db.coworker(CoworkerId)) {
		errors.push(fieldError('CoworkerId', CoworkerId, 'no customer with this Id'));
	}
	if (BusinessId !== undefined && !db.business(BusinessId)) {
		errors.push(fieldError('BusinessId', BusinessId, 'no location with this Id'));
	}
	const asset = InventoryAssetId === undefined ? undefined : db.inventoryAsset(InventoryAssetId);
	if (InventoryAssetId !== undefined && !asset) {
		errors.push(
			fieldError('InventoryAssetId', InventoryAssetId, 'no inventory asset with this Id'),
		);
	}
	if (
		errors.length > 0 ||
		CoworkerId === undefined ||
		BusinessId === undefined ||
		!asset ||
		!AssignedFrom ||
		AssignedTo === undefined
	) {
		return { ok: false, response: validationFailed(errors) };
	}
	if (asset.BusinessId !== BusinessId) {
		const error = fieldError(
			'InventoryAssetId',
			asset.Id,
			'the asset does not belong to this location',
		);
		return { ok: false, response: actionFailedWith200(error) };
	}
	if (AssignedTo !== null && AssignedTo < AssignedFrom) {
		const error = fieldError('AssignedTo', AssignedTo, 'cannot be before AssignedFrom');
		return { ok: false, response: actionFailedWith200(error) };
	}
	return {
		ok: true,
		input: { CoworkerId, BusinessId, InventoryAssetId: asset.Id, AssignedFrom, AssignedTo, Notes },
	};
}

export function createAssignment(db: EmulatorDb, body: unknown, userEmail: string): ApiResponse {
	const result = validate(db, asBody(body), []);
	if (!result.ok) return result.response;
	const now = nowApiDate();
	// Duplicates are allowed: the real API does not stop an asset being assigned twice.
	const record = db.addCoworkerInventoryAsset({
		...result.input,
		CreatedOn: now,
		UpdatedOn: now,
		UpdatedBy: userEmail,
	});
	return actionSucceeded(`${ENTITY} was successfully created.`, record.Id, now, userEmail);
}

/** PUT replaces the whole record: a field left out is cleared, as Nexudus has no PATCH. */
export function updateAssignment(db: EmulatorDb, body: unknown, userEmail: string): ApiResponse {
	const fields = asBody(body);
	const errors: FieldError[] = [];
	const id = readInt(fields, 'Id', errors);
	const existing = id === undefined ? undefined : db.coworkerInventoryAsset(id);
	if (id !== undefined && !existing) errors.push(fieldError('Id', id, `${ENTITY} not found`));
	const result = validate(db, fields, errors);
	if (!result.ok) return result.response;
	if (!existing) return validationFailed(errors);
	const now = nowApiDate();
	Object.assign(existing, result.input, { UpdatedOn: now, UpdatedBy: userEmail });
	return actionSucceeded(`${ENTITY} was successfully updated.`, existing.Id, now, userEmail);
}

export function deleteAssignment(db: EmulatorDb, id: number): ApiResponse {
	return db.removeCoworkerInventoryAsset(id) ? deleted() : notFound(ENTITY);
}

export function getAssignment(db: EmulatorDb, id: number): ApiResponse {
	const record = db.coworkerInventoryAsset(id);
	return record ? json(200, db.viewCoworkerInventoryAsset(record)) : notFound(ENTITY);
}

/** `?id=[1,2,3]` (or `1,2,3`): a plain array of full records, unknown ids left out. */
function batchGet(db: EmulatorDb, raw: string): ApiResponse {
	const parts = raw
		.replace(/^\s*\[|\]\s*$/g, '')
		.split(',')
		.map((part) => part.trim());
	if (parts.some((part) => !/^\d+$/.test(part))) {
		return message(400, `id: '${raw}' is not a list of integers`);
	}
	const views = parts
		.map((part) => db.coworkerInventoryAsset(Number(part)))
		.filter((record) => record !== undefined)
		.map((record) => db.viewCoworkerInventoryAsset(record));
	return json(200, views);
}

export function listAssignments(
	db: EmulatorDb,
	query: Query,
	options: PageOptions = {},
): ApiResponse {
	const ids = query.get('id');
	if (ids !== undefined) return batchGet(db, ids);
	try {
		const views = db.coworkerInventoryAssets.map((record) => db.viewCoworkerInventoryAsset(record));
		const envelope: ListEnvelope<CoworkerInventoryAssetListItem> = listResponse(
			views,
			FILTERS,
			query,
			({ Notes, UniqueId, SystemId, ...partial }) => partial,
			options,
		);
		return json(200, envelope);
	} catch (error) {
		if (error instanceof QueryError) return message(400, error.message);
		throw error;
	}
}
