// Coworker create and update as Nexudus documents them (developers.nexudus.com post-coworkers;
// Nexudus-Ltd/nexudus-coworking-skills references/entities/coworkers.md): the required fields,
// duplicate e-mails accepted, door access on the record, flags that act when written (CreateUser
// sends the welcome e-mail, NewAvatarUrl uploads, ClearAvatarFile deletes) and integration
// secrets that the GET masks. A PUT changes the fields it sends and leaves the others.
import {
	actionSucceeded,
	notFound,
	validationFailed,
	type ApiResponse,
	type FieldError,
} from './responses.cjs';
import {
	formatApiDate,
	nowApiDate,
	parseApiDate,
	type Coworker,
	type EmulatorDb,
} from './store.cjs';

type Body = Record<string, unknown>;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Required on create by the reference (and the documented FullName, Email, CountryId, SimpleTimeZoneId). */
const REQUIRED = [
	'CoworkerType',
	'FullName',
	'Gender',
	'Email',
	'CountryId',
	'SimpleTimeZoneId',
	'TaxRateType',
	...WEEKDAYS.map((day) => `${day}Attendance`),
];

/** Shown as this mask by the GET when set: a client that echoes it back overwrites the secret. */
export const MASKED_FIELDS = [
	'AccessPincode',
	'Office365AccessToken',
	'Office365RefreshToken',
	'ZoomAccessToken',
	'DoordeckPrivateKey',
	'SaltoV2AccessToken',
];
export const MASK = '********';

/** Flags that act when written and are never stored. */
const ACTIONS = [
	'CreateUser',
	'NewAvatarUrl',
	'ClearAvatarFile',
	'NewBannerImageUrl',
	'ClearBannerImageFile',
];

const TOP_LEVEL = [
	'FullName',
	'Email',
	'CompanyName',
	'InvoicingBusinessId',
	'Active',
	'BillingName',
];
const READ_ONLY = ['Id', 'UniqueId', 'CreatedOn', 'UpdatedOn', 'TeamNames', 'CoworkerType'];

function missing(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

function typeName(value: unknown): 'Individual' | 'Company' | undefined {
	if (value === 1 || value === '1' || value === 'Individual') return 'Individual';
	if (value === 2 || value === '2' || value === 'Company') return 'Company';
	return undefined;
}

function checkFields(db: EmulatorDb, body: Body, required: string[]): FieldError[] {
	const errors: FieldError[] = required
		.filter((name) => missing(body[name]))
		.map((name) => ({
			AttemptedValue: body[name] ?? null,
			Message: 'is a required field',
			PropertyName: name,
		}));
	if (!missing(body.CoworkerType) && !typeName(body.CoworkerType)) {
		errors.push({
			AttemptedValue: body.CoworkerType,
			Message: 'is not a valid value',
			PropertyName: 'CoworkerType',
		});
	}
	if (!missing(body.InvoicingBusinessId) && !db.business(Number(body.InvoicingBusinessId))) {
		errors.push({
			AttemptedValue: body.InvoicingBusinessId,
			Message: 'was not found',
			PropertyName: 'InvoicingBusinessId',
		});
	}
	for (const name of ['RenewalDate', 'DateOfBirth']) {
		if (!missing(body[name]) && !(typeof body[name] === 'string' && parseApiDate(body[name]))) {
			errors.push({
				AttemptedValue: body[name],
				Message: 'is not a valid date',
				PropertyName: name,
			});
		}
	}
	return errors;
}

/** Writes the sent fields onto the record; the flags act instead of being stored. */
function apply(db: EmulatorDb, record: Coworker, body: Body): void {
	const fields = (record.Fields ??= {});
	for (const [name, value] of Object.entries(body)) {
		if (READ_ONLY.includes(name)) continue;
		if (name === 'CreateUser') {
			if (value === true) db.welcomeEmails.push(record.Email);
		} else if (name === 'NewAvatarUrl' || name === 'NewBannerImageUrl') {
			if (!missing(value)) fields[name === 'NewAvatarUrl' ? 'AvatarUrl' : 'BannerUrl'] = value;
		} else if (name === 'ClearAvatarFile' || name === 'ClearBannerImageFile') {
			if (value === true) fields[name === 'ClearAvatarFile' ? 'AvatarUrl' : 'BannerUrl'] = null;
		} else if (TOP_LEVEL.includes(name)) {
			(record as unknown as Body)[name] = value;
		} else if (name === 'RenewalDate' && typeof value === 'string') {
			fields[name] = formatApiDate(parseApiDate(value)!);
		} else {
			fields[name] = value;
		}
	}
	if (body.CoworkerType !== undefined) record.CoworkerType = typeName(body.CoworkerType)!;
	const teams = fields.Teams;
	if (Array.isArray(teams)) {
		record.TeamNames =
			teams
				.map((id) => db.teams.find((team) => team.Id === Number(id))?.Name)
				.filter(Boolean)
				.join(', ') || null;
	}
}

/** The record as the GET shows it: flat, with the secrets masked. */
export function coworkerView(db: EmulatorDb, record: Coworker): Record<string, unknown> {
	const { Fields, ...top } = record;
	// Seeded members have their home location's country and time zone, as every real one has some.
	const home = db.business(record.InvoicingBusinessId);
	const view: Record<string, unknown> = {
		...top,
		CountryId: home?.CountryId ?? null,
		SimpleTimeZoneId: home?.SimpleTimeZoneId ?? null,
		...(Fields ?? {}),
	};
	for (const name of MASKED_FIELDS) {
		if (!missing(view[name])) view[name] = MASK;
	}
	for (const name of ACTIONS) view[name] = name === 'CreateUser' ? false : null;
	return view;
}

/** A list record: partial, as Nexudus's lists are (never a base for a PUT); door card included. */
export function coworkerListView(record: Coworker): Record<string, unknown> {
	const { Fields, ...top } = record;
	return Fields?.AccessCardId === undefined ? top : { ...top, AccessCardId: Fields.AccessCardId };
}

export function createCoworker(db: EmulatorDb, input: unknown, userEmail: string): ApiResponse {
	const body = (typeof input === 'object' && input !== null ? input : {}) as Body;
	const errors = checkFields(db, body, REQUIRED);
	if (errors.length > 0) return validationFailed(errors);
	// Nexudus accepts a second member with an e-mail already in use (linked profiles).
	const record = db.addCoworker({
		FullName: String(body.FullName),
		Email: String(body.Email),
		InvoicingBusinessId: Number(body.InvoicingBusinessId ?? 0),
		CoworkerType: typeName(body.CoworkerType)!,
		BillingName: String(body.FullName),
		CompanyName: missing(body.CompanyName) ? null : String(body.CompanyName),
	});
	apply(db, record, body);
	return actionSucceeded(
		`${record.FullName} was successfully created.`,
		record.Id,
		record.UpdatedOn,
		userEmail,
	);
}

export function updateCoworker(db: EmulatorDb, input: unknown, userEmail: string): ApiResponse {
	const body = (typeof input === 'object' && input !== null ? input : {}) as Body;
	const record = db.coworker(Number(body.Id));
	if (!record) return notFound('Coworker');
	const errors = checkFields(db, body, ['FullName', 'Email', 'CountryId', 'SimpleTimeZoneId']);
	if (errors.length > 0) return validationFailed(errors);
	apply(db, record, body);
	record.UpdatedOn = nowApiDate();
	return actionSucceeded(
		`${record.FullName} was successfully updated.`,
		record.Id,
		record.UpdatedOn,
		userEmail,
	);
}
