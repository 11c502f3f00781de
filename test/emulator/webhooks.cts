/**
 * Nexudus webhooks in the emulator: /api/sys/webhooks (list with WebHook_* filters, get, create,
 * PUT, delete), member and contract events fired through /_emulator/events, and their delivery
 * as Nexudus does it: a JSON array body (Json.NET's serialization, sent as UTF-8), signed as
 * Nexudus's published code signs it (ASCII; switch webhookSigning) when a shared secret is set, retried on failure (up to 10 retries; ErrorCount/LastError; disabled after 10 failures in
 * a row), and optionally delivered twice (a repeated delivery).
 */
import { createHmac, randomUUID } from 'node:crypto';

import { listResponse, QueryError, type FilterSpec } from './lists.cjs';
import { styleDates, type DateSwitches } from './switches.cjs';
import {
	actionSucceeded,
	deleted,
	json,
	message,
	notFound,
	validationFailed,
	type ApiResponse,
	type FieldError,
} from './responses.cjs';
import type { RequestContext } from './routes.cjs';
import { nowApiDate, type Coworker, type EmulatorDb } from './store.cjs';

/** eWebhookAction by number (index); the emulator keeps its own copy, so a wrong table in the node shows. */
const ACTION_NAMES: Record<number, string> = Object.fromEntries(
	(
		'None CoworkerUpdate CoworkerCreate BlogPostCreate BlogPostUpdate BookingCreate BookingUpdate BookingDelete ' +
		'SendWelcomeEmail CoworkerContractActivate CoworkerContractCancel CoworkerContractRenew ' +
		'CoworkerContractUpgradeDowngrade CoworkerContractActivateFirst CoworkerInvoiceCreateFirst ' +
		'CoworkerInvoiceCreate CoworkerInvoiceDelete CoworkerInvoiceUpdate CoworkerInvoiceRefund ' +
		'CoworkerInvoiceCreditNote CoworkerInvoicePaid CoworkerInvoiceFailedPayment CoworkerInvoiceReceivedPayment ' +
		'CoworkerInvoiceAwaitingPayment CalendarEventCreate CalendarEventUpdate CalendarEventAttendeeDelete ' +
		'CalendarEventAttendeeCreate CalendarEventAttendeeUpdate GlobalChatMessageCreate NewsLetterSubscriberCreate ' +
		'NewsLetterSubscriberSubscribed NewsLetterSubscriberUnSubscribed NewsLetterSubscriberRemovedFromGroup ' +
		'CoworkerCheckout CoworkerCheckin CoworkerCheckinFailed VisitorNotification CommunityBoardNewThread ' +
		'CommunityBoardNewReply VisitorCheckedin VisitorRegistered BlogPostDelete CalendarEventDelete ' +
		'HelDeskMessageCreated HelpDeskCommentCreated CheckinCreated CheckinUpdated CheckinDeleted CoworkerDelete ' +
		'CoworkerMessageCreate DeliveryCreated DeliveryAssigned ProposalCreated ProposalUpdated ProposalDeleted ' +
		'TeamCreated TeamUpdated TeamDeleted CoworkerContractUpdate AccessControlUpdate CoworkerContractCreate ' +
		'FailedCheckin VisitorDeleted CoworkerInvoiceLedgerEntryCreate CoworkerInvoiceLedgerEntryDelete ' +
		'CoworkerInvoiceLedgerEntryUpdate CoworkerProductCreate CoworkerProductUpdate CoworkerProductDelete ' +
		'FloorPlanDeskCreate FloorPlanDeskDelete FloorPlanDeskUpdate TariffCreate TariffDelete TariffUpdate ' +
		'CoworkerContractDelete FloorPlanCreate FloorPlanDelete FloorPlanUpdate ProductCreate ProductDelete ' +
		'ProductUpdate BusinessUpdate CommunityGroupCreate CommunityGroupDelete CommunityGroupUpdate ' +
		'CoworkerPaymentMethodCreate CoworkerPaymentMethodDelete CoworkerPaymentMethodUpdate'
	)
		.split(' ')
		.map((name, index) => [index + 1, name]),
);
const ACTION_NUMBERS = new Map(
	Object.entries(ACTION_NAMES).map(([n, name]) => [name.toLowerCase(), Number(n)]),
);

/** The action's number from a number or a name (any case); undefined when unknown or None. */
export function actionNumber(value: unknown): number | undefined {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+$/.test(value.trim())
				? Number(value)
				: ACTION_NUMBERS.get(
						String(value ?? '')
							.trim()
							.toLowerCase(),
					);
	return number !== undefined && number >= 2 && ACTION_NAMES[number] !== undefined
		? number
		: undefined;
}

export function actionName(number: number): string {
	return ACTION_NAMES[number] ?? String(number);
}

export interface WebHook {
	Id: number;
	UniqueId: string;
	BusinessId: number;
	Name: string;
	/** Stored and answered as the eWebhookAction number. */
	Action: number;
	Description: string | null;
	URL: string;
	Active: boolean;
	LastTrigger: string | null;
	LastError: string | null;
	ErrorCount: number;
	CreatedOn: string;
	UpdatedOn: string;
	UpdatedBy: string | null;
	IsNew: boolean;
	SystemId: string | null;
}

/** A member's membership: what Nexudus calls a coworker contract. */
export interface CoworkerContract {
	Id: number;
	UniqueId: string;
	CoworkerId: number;
	CoworkerFullName: string | null;
	CoworkerEmail: string | null;
	BusinessId: number;
	TariffId: number;
	TariffName: string;
	StartDate: string;
	RenewalDate: string | null;
	CancellationDate: string | null;
	Cancelled: boolean;
	Active: boolean;
	Notes: string | null;
	CreatedOn: string;
	UpdatedOn: string;
}

export interface DeliveryAttempt {
	/** One per event and webhook; repeats of a delivery share it. */
	deliveryId: number;
	webhookId: number;
	action: string;
	url: string;
	/** 1 for the first try, 2 for the first retry... */
	attempt: number;
	/** 1 for the delivery, 2 for its repeat (repeated delivery). */
	copy: number;
	/** HTTP status, 0 when no answer came. */
	status: number;
	error: string | null;
	signature: string | null;
	body: string;
	at: string;
}

export interface WebhookSettings {
	/** The account's webhook shared secret (Settings > Integrations); null: deliveries are not signed. */
	secret: string | null;
	/** Wait before retry n is n × retryDelayMs (Nexudus waits minutes; tests scale it down). */
	retryDelayMs: number;
	/** Every delivery is sent twice, as Nexudus sometimes repeats one. */
	deliverTwice: boolean;
}

/** Nexudus retries a failed delivery up to 10 times and disables a webhook after 10 failures in a row. */
export const MAX_RETRIES = 10;
export const DISABLE_AFTER_FAILURES = 10;
const DEFAULT_SETTINGS: WebhookSettings = { secret: null, retryDelayMs: 1000, deliverTwice: false };

export interface WebhookState {
	webhooks: WebHook[];
	contracts: CoworkerContract[];
	attempts: DeliveryAttempt[];
	settings: WebhookSettings;
	inFlight: number;
	/** Bumped by a reset: deliveries of an earlier generation no longer count as in flight. */
	generation: number;
	nextDeliveryId: number;
	/** Ids are never reused, as in Nexudus (a deleted webhook's Id stays unknown). */
	lastWebhookId: number;
	idleWaiters: Array<() => void>;
	timers: Set<NodeJS.Timeout>;
}

const states = new WeakMap<EmulatorDb, WebhookState>();

/** The webhook side of an emulator's database (created on first use). */
export function webhooksOf(db: EmulatorDb): WebhookState {
	let state = states.get(db);
	if (!state) {
		state = {
			webhooks: [],
			contracts: [],
			attempts: [],
			settings: { ...DEFAULT_SETTINGS },
			inFlight: 0,
			generation: 0,
			nextDeliveryId: 1,
			lastWebhookId: 7000,
			idleWaiters: [],
			timers: new Set(),
		};
		states.set(db, state);
	}
	return state;
}

/** Forgets webhooks, contracts, deliveries and settings; pending retries are cancelled. */
export function resetWebhooks(db: EmulatorDb): void {
	const state = webhooksOf(db);
	for (const timer of state.timers) clearTimeout(timer);
	state.timers.clear();
	state.webhooks.length = 0;
	state.contracts.length = 0;
	state.attempts.length = 0;
	state.settings = { ...DEFAULT_SETTINGS };
	state.lastWebhookId = 7000;
	state.generation += 1;
	state.inFlight = 0;
	for (const resolve of state.idleWaiters.splice(0)) resolve();
}

/** Resolves when no delivery is in flight or waiting for a retry. */
export function deliveriesIdle(db: EmulatorDb): Promise<void> {
	const state = webhooksOf(db);
	return state.inFlight === 0
		? Promise.resolve()
		: new Promise((resolve) => state.idleWaiters.push(resolve));
}

/** .NET's `new ASCIIEncoding().GetBytes(text)`: every UTF-16 code unit above U+007F becomes '?'
 * (its EncoderReplacementFallback writes the '?' twice for a surrogate pair, so an emoji is '??'). */
export function dotnetAsciiBytes(text: string): Buffer {
	return Buffer.from(
		Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)).map((unit) =>
			unit > 0x7f ? 0x3f : unit,
		),
	);
}

/**
 * Nexudus's published signature (help.nexudus.com/docs/verifying-webhooks-created-via-the-api):
 * ASCIIEncoding of the secret and of the JSON text, HMACSHA256, each byte ToString("X2"). The
 * 'utf8' switch signs the UTF-8 bytes sent instead (the secret likewise).
 */
export function signBody(
	secret: string,
	body: string,
	signing: 'ascii' | 'utf8' = 'ascii',
): string {
	const bytes =
		signing === 'ascii' ? dotnetAsciiBytes : (text: string) => Buffer.from(text, 'utf8');
	return createHmac('sha256', bytes(secret)).update(bytes(body)).digest('hex').toUpperCase();
}

/** A JSON string as Json.NET writes it by default: as JSON.stringify, but U+0085, U+2028 and
 * U+2029 escaped, and a lone surrogate written as it is (JSON.stringify escapes it). */
function newtonsoftString(text: string): string {
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		const char = text[i];
		if (char === '"' || char === '\\') out += `\\${char}`;
		else if (
			unit === 0x85 ||
			unit === 0x2028 ||
			unit === 0x2029 ||
			(unit < 0x20 && !'\b\t\n\f\r'.includes(char))
		)
			out += `\\u${unit.toString(16).padStart(4, '0')}`;
		else if (unit < 0x20) out += JSON.stringify(char).slice(1, -1);
		else out += char;
	}
	return `${out}"`;
}

/**
 * `JsonConvert.SerializeObject(value)` with Json.NET's defaults (no indentation, properties in
 * order, nulls kept, non-ASCII characters as they are), for the values the emulator holds.
 */
export function serializeObject(value: unknown): string {
	if (typeof value === 'string') return newtonsoftString(value);
	if (Array.isArray(value))
		return `[${value.map((entry) => serializeObject(entry ?? null)).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		const fields = Object.entries(value).filter(([, field]) => field !== undefined);
		return `{${fields.map(([name, field]) => `${newtonsoftString(name)}:${serializeObject(field)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

// --- /api/sys/webhooks -----------------------------------------------------------------------

type Body = Record<string, unknown>;

function asBody(body: unknown): Body {
	return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

function fieldError(PropertyName: string, AttemptedValue: unknown, Message: string): FieldError {
	return { PropertyName, AttemptedValue, Message };
}

function nextId(records: Array<{ Id: number }>, base: number): number {
	return records.reduce((max, record) => Math.max(max, record.Id), base) + 1;
}

interface WebhookInput {
	BusinessId: number;
	Name: string;
	Action: number;
	URL: string;
	Description: string | null;
	Active: boolean;
}

function validateWebhook(db: EmulatorDb, body: Body): WebhookInput | FieldError[] {
	const errors: FieldError[] = [];
	const businessId = Number(body.BusinessId);
	if (!Number.isInteger(businessId) || !db.business(businessId)) {
		errors.push(fieldError('BusinessId', body.BusinessId ?? null, 'is not a valid location'));
	}
	if (typeof body.Name !== 'string' || body.Name.trim() === '') {
		errors.push(fieldError('Name', body.Name ?? null, 'is a required field'));
	}
	const action = actionNumber(body.Action);
	if (action === undefined)
		errors.push(fieldError('Action', body.Action ?? null, 'is not a valid webhook action'));
	let urlOk = false;
	try {
		urlOk = typeof body.URL === 'string' && /^https?:$/.test(new URL(body.URL).protocol);
	} catch {
		urlOk = false;
	}
	if (!urlOk) errors.push(fieldError('URL', body.URL ?? null, 'is not a valid URL'));
	if (errors.length > 0) return errors;
	return {
		BusinessId: businessId,
		Name: String(body.Name),
		Action: action as number,
		URL: String(body.URL),
		Description: typeof body.Description === 'string' ? body.Description : null,
		Active: body.Active === undefined ? true : body.Active === true,
	};
}

const WEBHOOK_FILTERS: Array<FilterSpec<WebHook>> = [
	{ param: 'WebHook_Business', type: 'id', value: (r) => r.BusinessId },
	{ param: 'WebHook_Name', type: 'text', value: (r) => r.Name },
	{ param: 'WebHook_URL', type: 'text', value: (r) => r.URL },
	{ param: 'WebHook_Description', type: 'text', value: (r) => r.Description },
];

function listWebhooks(context: RequestContext): ApiResponse {
	const state = webhooksOf(context.db);
	let records = state.webhooks;
	const action = context.query.get('WebHook_Action');
	if (action !== undefined) {
		const number = actionNumber(action);
		if (number === undefined)
			return message(400, `WebHook_Action: '${action}' is not a valid webhook action`);
		records = records.filter((record) => record.Action === number);
	}
	const active = context.query.get('WebHook_Active');
	if (active !== undefined) {
		if (!/^(true|false)$/i.test(active))
			return message(400, `WebHook_Active: '${active}' is not a valid boolean`);
		records = records.filter((record) => record.Active === (active.toLowerCase() === 'true'));
	}
	try {
		return json(
			200,
			listResponse(records, WEBHOOK_FILTERS, context.query, (r) => ({ ...r }), {
				ignorePage: context.ignorePage,
			}),
		);
	} catch (error) {
		if (error instanceof QueryError) return message(400, error.message);
		throw error;
	}
}

function createWebhook(context: RequestContext, email: string): ApiResponse {
	const state = webhooksOf(context.db);
	const input = validateWebhook(context.db, asBody(context.body));
	if (Array.isArray(input)) return validationFailed(input);
	const now = nowApiDate();
	const record: WebHook = {
		Id: ++state.lastWebhookId,
		UniqueId: randomUUID(),
		...input,
		LastTrigger: null,
		LastError: null,
		ErrorCount: 0,
		CreatedOn: now,
		UpdatedOn: now,
		UpdatedBy: email,
		IsNew: false,
		SystemId: null,
	};
	state.webhooks.push(record);
	return actionSucceeded('The webhook was successfully created.', record.Id, now, email);
}

/** PUT is whole-record, as for other entities: fields left out are cleared (then fail validation). */
function updateWebhook(context: RequestContext, email: string): ApiResponse {
	const state = webhooksOf(context.db);
	const body = asBody(context.body);
	const record = state.webhooks.find((candidate) => candidate.Id === Number(body.Id));
	if (!record) return notFound('WebHook');
	const input = validateWebhook(context.db, body);
	if (Array.isArray(input)) return validationFailed(input);
	Object.assign(record, input, { UpdatedOn: nowApiDate(), UpdatedBy: email });
	// Turned on again: a fresh start for the failure count.
	if (record.Active) record.ErrorCount = 0;
	return actionSucceeded(
		'The webhook was successfully updated.',
		record.Id,
		record.UpdatedOn,
		email,
	);
}

export interface WebhookRoute {
	method: string;
	pattern: RegExp;
	role: string;
	json?: boolean;
	handle(context: RequestContext, userEmail: string, id: number): ApiResponse;
}

const WEBHOOKS = /^\/api\/sys\/webhooks$/i;
const WEBHOOK = /^\/api\/sys\/webhooks\/(\d+)$/i;

/** The /api/sys/webhooks routes (roles WebHook-List, -Read, -Create, -Edit, -Delete). */
export const WEBHOOK_ROUTES: WebhookRoute[] = [
	{
		method: 'GET',
		pattern: WEBHOOKS,
		role: 'WebHook-List',
		handle: (context) => listWebhooks(context),
	},
	{
		method: 'POST',
		pattern: WEBHOOKS,
		role: 'WebHook-Create',
		json: true,
		handle: (c, email) => createWebhook(c, email),
	},
	{
		method: 'PUT',
		pattern: WEBHOOKS,
		role: 'WebHook-Edit',
		json: true,
		handle: (c, email) => updateWebhook(c, email),
	},
	{
		method: 'GET',
		pattern: WEBHOOK,
		role: 'WebHook-Read',
		handle: (context, _email, id) => {
			const record = webhooksOf(context.db).webhooks.find((candidate) => candidate.Id === id);
			return record ? json(200, record) : notFound('WebHook');
		},
	},
	{
		method: 'DELETE',
		pattern: WEBHOOK,
		role: 'WebHook-Delete',
		handle: (context, _email, id) => {
			const state = webhooksOf(context.db);
			const index = state.webhooks.findIndex((candidate) => candidate.Id === id);
			if (index === -1) return notFound('WebHook');
			state.webhooks.splice(index, 1);
			return deleted();
		},
	},
];

// --- events ----------------------------------------------------------------------------------

export class EventError extends Error {}

export interface EventInput {
	/** The eWebhookAction, by name or number. */
	action: unknown;
	/** The member's or contract's fields (with Id to update, cancel or delete one). */
	record?: Record<string, unknown>;
	/** The location whose webhooks receive it; default: the record's. */
	businessId?: number;
	/** Deliver this event twice (besides the deliverTwice setting). */
	deliverTwice?: boolean;
}

export interface FiredEvent {
	action: string;
	businessId: number;
	record: Record<string, unknown>;
	/** Webhooks the event is delivered to (active, same action and location). */
	webhookIds: number[];
	deliveryIds: number[];
}

function requireCoworker(db: EmulatorDb, id: unknown): Coworker {
	const coworker = db.coworker(Number(id));
	if (!coworker) throw new EventError(`record.Id / record.CoworkerId: no member ${String(id)}`);
	return coworker;
}

function memberView(db: EmulatorDb, coworker: Coworker): Record<string, unknown> {
	return {
		...coworker,
		InvoicingBusinessName: db.business(coworker.InvoicingBusinessId)?.Name ?? null,
	};
}

function defaultBusiness(db: EmulatorDb, input: EventInput, fallback?: number): number {
	const id = Number(
		input.businessId ??
			input.record?.BusinessId ??
			input.record?.InvoicingBusinessId ??
			fallback ??
			db.businesses[0]?.Id,
	);
	if (!db.business(id)) throw new EventError(`businessId: no location ${String(id)}`);
	return id;
}

/** Changes the emulator's data as the event says, and returns the record Nexudus would send. */
function applyEvent(
	db: EmulatorDb,
	state: WebhookState,
	action: string,
	input: EventInput,
): { record: Record<string, unknown>; businessId: number } {
	const fields = input.record ?? {};
	const now = nowApiDate();
	if (action === 'CoworkerCreate') {
		if (typeof fields.FullName !== 'string' || typeof fields.Email !== 'string') {
			throw new EventError('record.FullName and record.Email are required to create a member');
		}
		const businessId = defaultBusiness(db, input);
		const { Id: _ignored, ...rest } = fields;
		const coworker = db.addCoworker({
			...(rest as Partial<Coworker>),
			FullName: fields.FullName,
			Email: fields.Email,
			InvoicingBusinessId: businessId,
		});
		return { record: memberView(db, coworker), businessId };
	}
	if (action === 'CoworkerUpdate' || action === 'SendWelcomeEmail') {
		const coworker = requireCoworker(db, fields.Id);
		const { Id: _ignored, ...changes } = fields;
		Object.assign(coworker, changes, { UpdatedOn: now });
		return {
			record: memberView(db, coworker),
			businessId: defaultBusiness(db, input, coworker.InvoicingBusinessId),
		};
	}
	if (action === 'CoworkerDelete') {
		const coworker = requireCoworker(db, fields.Id);
		db.coworkers.splice(db.coworkers.indexOf(coworker), 1);
		return {
			record: memberView(db, coworker),
			businessId: defaultBusiness(db, input, coworker.InvoicingBusinessId),
		};
	}
	if (action.startsWith('CoworkerContract')) {
		let contract =
			fields.Id !== undefined
				? state.contracts.find((candidate) => candidate.Id === Number(fields.Id))
				: action === 'CoworkerContractCreate'
					? undefined
					: state.contracts.find(
							(candidate) =>
								candidate.CoworkerId === Number(fields.CoworkerId) && !candidate.Cancelled,
						);
		if (fields.Id !== undefined && !contract)
			throw new EventError(`record.Id: no contract ${String(fields.Id)}`);
		if (!contract) {
			// A member's membership, created with the event (or for it, when the member has none yet).
			const coworker = requireCoworker(db, fields.CoworkerId);
			contract = {
				Id: nextId(state.contracts, 8000),
				UniqueId: randomUUID(),
				CoworkerId: coworker.Id,
				CoworkerFullName: coworker.FullName,
				CoworkerEmail: coworker.Email,
				BusinessId: defaultBusiness(db, input, coworker.InvoicingBusinessId),
				TariffId: 9001,
				TariffName: 'Monthly Membership',
				StartDate: now,
				RenewalDate: null,
				CancellationDate: null,
				Cancelled: false,
				Active: true,
				Notes: null,
				CreatedOn: now,
				UpdatedOn: now,
			};
			state.contracts.push(contract);
		}
		const { Id: _ignored, CoworkerId: _coworker, ...changes } = fields;
		Object.assign(contract, changes, { UpdatedOn: now });
		if (action === 'CoworkerContractCancel') {
			contract.Cancelled = true;
			contract.CancellationDate =
				typeof fields.CancellationDate === 'string' ? fields.CancellationDate : now;
		}
		if (action === 'CoworkerContractDelete')
			state.contracts.splice(state.contracts.indexOf(contract), 1);
		return { record: { ...contract }, businessId: defaultBusiness(db, input, contract.BusinessId) };
	}
	// Any other event: the record as given, data left alone.
	if (!input.record) throw new EventError(`record is required for ${action}`);
	return { record: { ...fields }, businessId: defaultBusiness(db, input) };
}

function finished(state: WebhookState, generation: number): void {
	if (generation !== state.generation) return;
	state.inFlight -= 1;
	if (state.inFlight === 0) for (const resolve of state.idleWaiters.splice(0)) resolve();
}

function wait(state: WebhookState, ms: number): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			state.timers.delete(timer);
			resolve();
		}, ms);
		state.timers.add(timer);
	});
}

async function post(
	url: string,
	body: string,
	signature: string | null,
): Promise<{ status: number; error: string | null }> {
	try {
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (signature) headers['X-Nexudus-Hook-Signature'] = signature;
		const response = await fetch(url, {
			method: 'POST',
			headers,
			body,
			signal: AbortSignal.timeout(30_000),
		});
		await response.arrayBuffer().catch(() => undefined);
		return { status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
	} catch (error) {
		return { status: 0, error: (error as Error).message };
	}
}

/** One delivery to one webhook, with Nexudus's retries. */
async function deliver(
	state: WebhookState,
	webhook: WebHook,
	deliveryId: number,
	copy: number,
	body: string,
	signing: 'ascii' | 'utf8',
): Promise<void> {
	const generation = state.generation;
	try {
		for (let attempt = 1; attempt <= MAX_RETRIES + 1; attempt++) {
			if (generation !== state.generation || !state.webhooks.includes(webhook) || !webhook.Active)
				return;
			const signature = state.settings.secret
				? signBody(state.settings.secret, body, signing)
				: null;
			const answer = await post(webhook.URL, body, signature);
			state.attempts.push({
				deliveryId,
				webhookId: webhook.Id,
				action: actionName(webhook.Action),
				url: webhook.URL,
				attempt,
				copy,
				status: answer.status,
				error: answer.error,
				signature,
				body,
				at: nowApiDate(),
			});
			webhook.LastTrigger = nowApiDate();
			if (answer.error === null) {
				webhook.ErrorCount = 0;
				webhook.LastError = null;
				return;
			}
			webhook.ErrorCount += 1;
			webhook.LastError = answer.error;
			if (webhook.ErrorCount >= DISABLE_AFTER_FAILURES) {
				webhook.Active = false;
				return;
			}
			if (attempt <= MAX_RETRIES) await wait(state, state.settings.retryDelayMs * attempt);
		}
	} finally {
		finished(state, generation);
	}
}

/** Applies an event and starts its deliveries (they run on after this returns). */
export function fireEvent(
	db: EmulatorDb,
	input: EventInput,
	switches: DateSwitches & { webhookSigning?: 'ascii' | 'utf8' } = {},
): FiredEvent {
	const state = webhooksOf(db);
	const number = actionNumber(input.action);
	if (number === undefined)
		throw new EventError(`action: '${String(input.action)}' is not a webhook action`);
	const action = actionName(number);
	const { record, businessId } = applyEvent(db, state, action, input);
	// Nexudus serializes the record as an array of one: SerializeObject(new[] { dto }).
	// The date switches: dates go out without their Z, with 7 digits or +00:00, as Nexudus sends them.
	const body = serializeObject([styleDates(record, switches)]);
	const signing = switches.webhookSigning ?? 'ascii';
	const targets = state.webhooks.filter(
		(webhook) => webhook.Active && webhook.Action === number && webhook.BusinessId === businessId,
	);
	const copies = state.settings.deliverTwice || input.deliverTwice ? 2 : 1;
	const deliveryIds: number[] = [];
	for (const webhook of targets) {
		const deliveryId = state.nextDeliveryId++;
		deliveryIds.push(deliveryId);
		for (let copy = 1; copy <= copies; copy++) {
			state.inFlight += 1;
			void deliver(state, webhook, deliveryId, copy, body, signing);
		}
	}
	return {
		action,
		businessId,
		record,
		webhookIds: targets.map((webhook) => webhook.Id),
		deliveryIds,
	};
}

// --- /_emulator/ control ---------------------------------------------------------------------

function parseSettings(state: WebhookState, input: unknown): WebhookSettings {
	const body = asBody(input);
	const next = { ...state.settings };
	if (body.secret !== undefined) {
		if (body.secret !== null && (typeof body.secret !== 'string' || body.secret === '')) {
			throw new EventError('secret must be a non-empty string or null');
		}
		next.secret = body.secret as string | null;
	}
	if (body.retryDelayMs !== undefined) {
		if (typeof body.retryDelayMs !== 'number' || body.retryDelayMs < 0)
			throw new EventError('retryDelayMs must be a number >= 0');
		next.retryDelayMs = body.retryDelayMs;
	}
	if (body.deliverTwice !== undefined) {
		if (typeof body.deliverTwice !== 'boolean')
			throw new EventError('deliverTwice must be true or false');
		next.deliverTwice = body.deliverTwice;
	}
	return next;
}

/** The settings as shown: the secret itself is never echoed. */
function describeSettings(settings: WebhookSettings): Record<string, unknown> {
	return {
		secretSet: settings.secret !== null,
		retryDelayMs: settings.retryDelayMs,
		deliverTwice: settings.deliverTwice,
	};
}

/**
 * The webhook control routes; undefined for any other route (the caller goes on with its own).
 * POST /_emulator/events {action, record, businessId?, deliverTwice?}; GET /_emulator/deliveries
 * (?wait=1 first waits for deliveries in flight); GET|POST /_emulator/webhook-settings {secret,
 * retryDelayMs, deliverTwice}; GET /_emulator/db/webhooks, /_emulator/db/coworkercontracts.
 */
export async function webhookControl(
	db: EmulatorDb,
	method: string,
	path: string,
	query: URLSearchParams,
	body: unknown,
	switches: DateSwitches & { webhookSigning?: 'ascii' | 'utf8' } = {},
): Promise<ApiResponse | undefined> {
	const route = `${method} ${path.replace(/\/+$/, '')}`;
	const state = webhooksOf(db);
	try {
		switch (route) {
			case 'POST /_emulator/events':
				return json(200, fireEvent(db, asBody(body) as unknown as EventInput, switches));
			case 'GET /_emulator/deliveries':
				if (query.get('wait')) await deliveriesIdle(db);
				return json(200, state.attempts);
			case 'GET /_emulator/webhook-settings':
				return json(200, describeSettings(state.settings));
			case 'POST /_emulator/webhook-settings':
				state.settings = parseSettings(state, body);
				return json(200, describeSettings(state.settings));
			case 'GET /_emulator/db/webhooks':
				return json(200, state.webhooks);
			case 'GET /_emulator/db/coworkercontracts':
				return json(200, state.contracts);
			case 'POST /_emulator/reset':
				resetWebhooks(db);
				return undefined;
		}
		return undefined;
	} catch (error) {
		if (error instanceof EventError) return message(400, error.message);
		throw error;
	}
}
