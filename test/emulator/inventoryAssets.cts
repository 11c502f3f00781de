// Inventory asset writes (POST, PUT whole record, DELETE), as documented for
// /api/spaces/inventoryassets with the roles InventoryAsset-Create, -Edit and -Delete.
import {
	actionSucceeded,
	deleted,
	notFound,
	validationFailed,
	type ApiResponse,
	type FieldError,
} from './responses.cjs';
import { nowApiDate, type EmulatorDb, type InventoryAsset } from './store.cjs';

const ENTITY = 'InventoryAsset';

type Body = Record<string, unknown>;

const asBody = (body: unknown): Body =>
	typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};

const fieldError = (name: string, attempted: unknown, text: string): FieldError => ({
	AttemptedValue: attempted ?? null,
	Message: text,
	PropertyName: name,
});

const missing = (value: unknown) => value === undefined || value === null || value === '';

function readInt(
	body: Body,
	name: string,
	required: boolean,
	errors: FieldError[],
): number | null | undefined {
	const value = body[name];
	if (missing(value)) {
		if (required) errors.push(fieldError(name, value, 'is a required field'));
		return null;
	}
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
		errors.push(fieldError(name, value, 'is not a valid integer'));
		return undefined;
	}
	return number;
}

function readText(body: Body, name: string, errors: FieldError[]): string | null {
	const value = body[name];
	if (value === undefined || value === null) return null;
	if (typeof value === 'object') {
		errors.push(fieldError(name, value, 'is not a valid text'));
		return null;
	}
	return String(value);
}

type Writable = Pick<
	InventoryAsset,
	'BusinessId' | 'Name' | 'Sku' | 'Description' | 'Value' | 'AssignToType'
>;

/** Every writable field from the body: one left out is cleared (a PUT replaces the record). */
function validate(
	db: EmulatorDb,
	body: Body,
	errors: FieldError[],
	create: boolean,
): Writable | undefined {
	const BusinessId = readInt(body, 'BusinessId', true, errors);
	if (typeof BusinessId === 'number' && !db.business(BusinessId)) {
		errors.push(fieldError('BusinessId', BusinessId, 'no location with this Id'));
	}
	const Name = readText(body, 'Name', errors);
	if (missing(Name?.trim())) errors.push(fieldError('Name', body.Name, 'is a required field'));
	const AssignToType = readInt(body, 'AssignToType', create, errors);
	if (typeof AssignToType === 'number' && ![1, 2, 3].includes(AssignToType)) {
		errors.push(
			fieldError(
				'AssignToType',
				AssignToType,
				'must be 1 (Location), 2 (Resource) or 3 (FloorPlanItem)',
			),
		);
	}
	const rawValue = body.Value;
	const Value = missing(rawValue) ? null : Number(rawValue);
	if (Value !== null && !Number.isFinite(Value))
		errors.push(fieldError('Value', rawValue, 'is not a valid number'));
	const Sku = readText(body, 'Sku', errors);
	const Description = readText(body, 'Description', errors);
	if (errors.length > 0 || typeof BusinessId !== 'number' || Name === null) return undefined;
	return { BusinessId, Name, Sku, Description, Value, AssignToType: AssignToType ?? 0 };
}

export function createInventoryAsset(
	db: EmulatorDb,
	body: unknown,
	userEmail: string,
): ApiResponse {
	const errors: FieldError[] = [];
	const input = validate(db, asBody(body), errors, true);
	if (!input) return validationFailed(errors);
	const now = nowApiDate();
	const record = db.addInventoryAsset({ ...input, CreatedOn: now, UpdatedOn: now });
	return actionSucceeded(`${ENTITY} was successfully created.`, record.Id, now, userEmail);
}

export function updateInventoryAsset(
	db: EmulatorDb,
	body: unknown,
	userEmail: string,
): ApiResponse {
	const fields = asBody(body);
	const errors: FieldError[] = [];
	const id = readInt(fields, 'Id', true, errors);
	const existing = typeof id === 'number' ? db.inventoryAsset(id) : undefined;
	if (typeof id === 'number' && !existing) errors.push(fieldError('Id', id, `${ENTITY} not found`));
	const input = validate(db, fields, errors, false);
	if (!input || !existing) return validationFailed(errors);
	const now = nowApiDate();
	Object.assign(existing, input, { UpdatedOn: now });
	return actionSucceeded(`${ENTITY} was successfully updated.`, existing.Id, now, userEmail);
}

export function deleteInventoryAsset(db: EmulatorDb, id: number): ApiResponse {
	return db.removeInventoryAsset(id) ? deleted() : notFound(ENTITY);
}
