import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';

export interface Business {
	Id: number;
	UniqueId: string;
	Name: string;
	WebAddress: string;
	TimeZone: string;
	Currency: string;
	/** A new member's defaults (GET /api/sys/businesses/{id}). */
	CountryId?: number | null;
	SimpleTimeZoneId?: number | null;
	CurrencyId?: number | null;
	CreatedOn: string;
	UpdatedOn: string;
}

export interface Team {
	Id: number;
	Name: string;
	BusinessId: number;
}

export interface Coworker {
	Id: number;
	UniqueId: string;
	FullName: string;
	Email: string;
	CoworkerType: 'Individual' | 'Company';
	BillingName: string | null;
	CompanyName: string | null;
	TeamNames: string | null;
	InvoicingBusinessId: number;
	Active: boolean;
	CreatedOn: string;
	UpdatedOn: string;
	/** Every other field of a member written through the API (coworkers.cts shows them flat). */
	Fields?: Record<string, unknown>;
}

export interface InventoryAsset {
	Id: number;
	UniqueId: string;
	BusinessId: number;
	Name: string;
	Sku: string | null;
	Value: number | null;
	Notes: string | null;
	Description: string | null;
	/** 1 Location, 2 Resource, 3 FloorPlanItem (eInventoryAssetAssignToType). */
	AssignToType: number;
	CreatedOn: string;
	UpdatedOn: string;
}

/** What is stored; the API adds the denormalized Coworker* and InventoryAsset* fields on read. */
export interface CoworkerInventoryAsset {
	Id: number;
	UniqueId: string;
	CoworkerId: number;
	BusinessId: number;
	InventoryAssetId: number;
	Notes: string | null;
	AssignedFrom: string;
	AssignedTo: string | null;
	CreatedOn: string;
	UpdatedOn: string;
	UpdatedBy: string | null;
	SystemId: string | null;
}

/** The full record returned by GET /api/spaces/coworkerinventoryassets/{id}. */
export interface CoworkerInventoryAssetView {
	Id: number;
	UniqueId: string;
	CoworkerId: number;
	CoworkerCoworkerType: string | null;
	CoworkerFullName: string | null;
	CoworkerBillingName: string | null;
	CoworkerCompanyName: string | null;
	CoworkerTeamNames: string | null;
	BusinessId: number;
	InventoryAssetId: number;
	InventoryAssetName: string | null;
	InventoryAssetSku: string | null;
	InventoryAssetValue: number | null;
	InventoryAssetUniqueId: string | null;
	Notes: string | null;
	AssignedFrom: string;
	AssignedTo: string | null;
	CreatedOn: string;
	UpdatedOn: string;
	UpdatedBy: string | null;
	IsNew: boolean;
	SystemId: string | null;
}

/** List records are partial, as in the real API: a PUT built from one would lose data. */
export type CoworkerInventoryAssetListItem = Omit<
	CoworkerInventoryAssetView,
	'Notes' | 'UniqueId' | 'SystemId'
>;

type NewRecord<T extends { Id: number }, Required extends keyof T> = Pick<T, Required> &
	Partial<Omit<T, Required>>;

/** Nexudus-style timestamp: UTC, second precision, with Z. */
export function formatApiDate(date: DateTime): string {
	return date.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

/** Parses an ISO 8601 value (no offset means UTC); undefined when it is not a date. */
export function parseApiDate(value: string): DateTime | undefined {
	const date = DateTime.fromISO(value.trim(), { zone: 'utc' });
	return date.isValid ? date : undefined;
}

export function nowApiDate(): string {
	return formatApiDate(DateTime.utc());
}

// Id ranges keep the kinds apart when reading logs: 1xxx locations, 2xxx coworkers, ...
const ID_BASES = { businesses: 1000, coworkers: 2000, inventoryAssets: 3000, assignments: 5000 };

function nextId(records: Array<{ Id: number }>, base: number): number {
	return records.reduce((max, record) => Math.max(max, record.Id), base) + 1;
}

export class EmulatorDb {
	readonly businesses: Business[] = [];
	readonly coworkers: Coworker[] = [];
	readonly inventoryAssets: InventoryAsset[] = [];
	readonly coworkerInventoryAssets: CoworkerInventoryAsset[] = [];
	readonly teams: Team[] = [];
	/** E-mails Nexudus would have sent a welcome message to (CreateUser true on a write). */
	readonly welcomeEmails: string[] = [];

	/** Empties every collection in place, so references held by tests stay valid. */
	clear(): void {
		this.businesses.length = 0;
		this.coworkers.length = 0;
		this.inventoryAssets.length = 0;
		this.coworkerInventoryAssets.length = 0;
		this.teams.length = 0;
		this.welcomeEmails.length = 0;
	}

	addBusiness(input: NewRecord<Business, 'Name'>): Business {
		const now = nowApiDate();
		const record: Business = {
			Id: nextId(this.businesses, ID_BASES.businesses),
			UniqueId: randomUUID(),
			WebAddress: input.Name.toLowerCase().replace(/[^a-z0-9]+/g, ''),
			TimeZone: 'UTC',
			Currency: 'EUR',
			CreatedOn: now,
			UpdatedOn: now,
			...input,
		};
		this.businesses.push(record);
		return record;
	}

	addCoworker(input: NewRecord<Coworker, 'FullName' | 'Email' | 'InvoicingBusinessId'>): Coworker {
		const now = nowApiDate();
		const record: Coworker = {
			Id: nextId(this.coworkers, ID_BASES.coworkers),
			UniqueId: randomUUID(),
			CoworkerType: input.CompanyName ? 'Company' : 'Individual',
			BillingName: input.FullName,
			CompanyName: null,
			TeamNames: null,
			Active: true,
			CreatedOn: now,
			UpdatedOn: now,
			...input,
		};
		this.coworkers.push(record);
		return record;
	}

	addInventoryAsset(input: NewRecord<InventoryAsset, 'Name' | 'BusinessId'>): InventoryAsset {
		const now = nowApiDate();
		const record: InventoryAsset = {
			Id: nextId(this.inventoryAssets, ID_BASES.inventoryAssets),
			UniqueId: randomUUID(),
			Sku: null,
			Value: null,
			Notes: null,
			Description: null,
			AssignToType: 1,
			CreatedOn: now,
			UpdatedOn: now,
			...input,
		};
		this.inventoryAssets.push(record);
		return record;
	}

	/** Adds without validation (tests may want inconsistent data); dates are stored as given. */
	addCoworkerInventoryAsset(
		input: NewRecord<
			CoworkerInventoryAsset,
			'CoworkerId' | 'BusinessId' | 'InventoryAssetId' | 'AssignedFrom'
		>,
	): CoworkerInventoryAsset {
		const now = nowApiDate();
		const record: CoworkerInventoryAsset = {
			Id: nextId(this.coworkerInventoryAssets, ID_BASES.assignments),
			UniqueId: randomUUID(),
			Notes: null,
			AssignedTo: null,
			CreatedOn: now,
			UpdatedOn: now,
			UpdatedBy: null,
			SystemId: null,
			...input,
		};
		this.coworkerInventoryAssets.push(record);
		return record;
	}

	business(id: number): Business | undefined {
		return this.businesses.find((record) => record.Id === id);
	}

	coworker(id: number): Coworker | undefined {
		return this.coworkers.find((record) => record.Id === id);
	}

	inventoryAsset(id: number): InventoryAsset | undefined {
		return this.inventoryAssets.find((record) => record.Id === id);
	}

	coworkerInventoryAsset(id: number): CoworkerInventoryAsset | undefined {
		return this.coworkerInventoryAssets.find((record) => record.Id === id);
	}

	removeInventoryAsset(id: number): boolean {
		const index = this.inventoryAssets.findIndex((record) => record.Id === id);
		if (index === -1) return false;
		this.inventoryAssets.splice(index, 1);
		return true;
	}

	removeCoworkerInventoryAsset(id: number): boolean {
		const index = this.coworkerInventoryAssets.findIndex((record) => record.Id === id);
		if (index === -1) return false;
		this.coworkerInventoryAssets.splice(index, 1);
		return true;
	}

	/** The full API view of a stored assignment, with fields copied from coworker and asset. */
	viewCoworkerInventoryAsset(record: CoworkerInventoryAsset): CoworkerInventoryAssetView {
		const coworker = this.coworker(record.CoworkerId);
		const asset = this.inventoryAsset(record.InventoryAssetId);
		return {
			Id: record.Id,
			UniqueId: record.UniqueId,
			CoworkerId: record.CoworkerId,
			CoworkerCoworkerType: coworker?.CoworkerType ?? null,
			CoworkerFullName: coworker?.FullName ?? null,
			CoworkerBillingName: coworker?.BillingName ?? null,
			CoworkerCompanyName: coworker?.CompanyName ?? null,
			CoworkerTeamNames: coworker?.TeamNames ?? null,
			BusinessId: record.BusinessId,
			InventoryAssetId: record.InventoryAssetId,
			InventoryAssetName: asset?.Name ?? null,
			InventoryAssetSku: asset?.Sku ?? null,
			InventoryAssetValue: asset?.Value ?? null,
			InventoryAssetUniqueId: asset?.UniqueId ?? null,
			Notes: record.Notes,
			AssignedFrom: record.AssignedFrom,
			AssignedTo: record.AssignedTo,
			CreatedOn: record.CreatedOn,
			UpdatedOn: record.UpdatedOn,
			UpdatedBy: record.UpdatedBy,
			IsNew: false,
			SystemId: record.SystemId,
		};
	}

	listItemCoworkerInventoryAsset(record: CoworkerInventoryAsset): CoworkerInventoryAssetListItem {
		const { Notes, UniqueId, SystemId, ...partial } = this.viewCoworkerInventoryAsset(record);
		return partial;
	}
}
