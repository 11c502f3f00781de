import { DateTime, Info } from 'luxon';
import type { Zone } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { quoteForMessage, truncateForMessage } from './errors';

/*
 * Nexudus expects UTC instants such as 2025-01-15T10:30:00Z. Users give us dates in many shapes
 * (n8n's date picker, expressions returning luxon objects, timestamps, copied HTTP headers), so
 * everything goes through parseDateInput, which is strict on purpose: a date Nexudus misreads
 * books the wrong desk, so an unclear value is an error rather than a guess.
 *
 * Decisions:
 * - A value without an offset is wall-clock time in the workflow's time zone; a value with an
 *   offset or Z keeps its instant. Date-only values mean the start of that day. One exception:
 *   Nexudus's own form without an offset, 7 fractional digits (2026-01-12T09:00:00.1234567,
 *   .NET's round-trip format, which no date picker or person writes), is UTC, so a date copied
 *   from a Nexudus answer keeps its instant in any workflow time zone.
 * - n8n's dateTime parameter (the date picker) stores 'yyyy-MM-ddTHH:mm:ss' with no offset (the
 *   editor's value-format), or an ISO string ending in .000Z when a Date object was emitted;
 *   both are plain ISO 8601 here.
 * - Plausible range: every date must fall in the years 1980 to 2100 (inclusive, in the workflow
 *   time zone). An asset assignment outside it is always a mistake, and usually a number read in
 *   the wrong unit: 15, 2025 or a spreadsheet serial date 45672 read as epoch seconds is
 *   1970-01-01, a compact 20250115103000 read as milliseconds is the year 2611. Such values are
 *   rejected with the likely cause (see outOfRangeReason): a 4-digit number looks like a year,
 *   20000 to 80000 like a spreadsheet serial date (days since 1899-12-30), 8/12/14 digits that
 *   read as yyyyMMdd[HHmm[ss]] like a compact date, and a number that is in range in another
 *   epoch unit (seconds, milliseconds, microseconds) like a timestamp in that unit.
 * - Epoch numbers: |n| < 1e11 is seconds, otherwise milliseconds. In the plausible range seconds
 *   are 3.2e8 to 4.1e9 and milliseconds 3.2e11 to 4.1e12, so the threshold 1e11 never misreads
 *   a plausible timestamp. Fractional values are accepted; the result is rounded to the
 *   millisecond.
 * - Digit-only strings are timestamps only with 9 or more integer digits. Shorter ones look
 *   just as much like a year or a compact date (2025, 20250115), so they are rejected.
 * - Nonexistent local times (spring forward gap) move forward by the gap, as luxon does:
 *   2025-03-30T02:30 in Europe/Madrid is 03:30+02:00 = 01:30Z. Ambiguous local times (fall
 *   back) take the earlier instant, the first occurrence, as RFC 5545 and Temporal do:
 *   2025-10-26T02:30 in Europe/Madrid is 02:30+02:00 = 00:30Z. luxon 3.7 alone would pick the
 *   later one, so this is enforced below.
 * - n8n-workflow's tryToParseDateTime is not reused: it falls back to Date.parse, which is
 *   lenient and engine dependent ('Jan 15' or '1/2/2025' would pass).
 * - Output drops sub-second precision by truncation, never rounding, so an instant never moves
 *   into the next second or minute.
 */

const ACCEPTED_FORMS =
	'Use ISO 8601 (for example 2025-01-15 or 2025-01-15T10:30:00Z), yyyy-MM-dd HH:mm:ss, ' +
	'RFC 2822, an HTTP date, or a Unix timestamp in seconds or milliseconds';

// Below this magnitude an epoch number is read as seconds, otherwise as milliseconds.
export const EPOCH_SECONDS_THRESHOLD = 1e11;

const MIN_EPOCH_STRING_DIGITS = 9;
const DAY_MS = 86_400_000;

/** The plausible range: years (in the workflow time zone) a date may have. */
export const MIN_YEAR = 1980;
export const MAX_YEAR = 2100;
const RANGE = `the supported years ${MIN_YEAR} to ${MAX_YEAR}`;

export class InvalidDateError extends Error {
	readonly value: unknown;

	readonly reason: string;

	constructor(value: unknown, reason: string, message?: string) {
		super(
			message ?? `Cannot read ${describeValue(value)} as a date: ${reason}. ${ACCEPTED_FORMS}.`,
		);
		this.name = 'InvalidDateError';
		this.value = value;
		this.reason = reason;
	}
}

export class InvalidTimeZoneError extends InvalidDateError {
	constructor(value: unknown) {
		const reason = 'it is not a known IANA time zone';
		super(
			value,
			reason,
			`The time zone ${describeValue(value)} is not valid: ${reason}. ` +
				'Set a zone such as Europe/Madrid or UTC in the workflow settings.',
		);
		this.name = 'InvalidTimeZoneError';
	}
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (value === null) return 'null';
	if (typeof value === 'string') return quoteForMessage(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value === 'bigint') return `${value}n`;
	if (typeof value === 'symbol') return value.toString();
	if (typeof value === 'function') return 'a function';
	if (isJsDate(value)) {
		const millis = Date.prototype.getTime.call(value);
		return Number.isNaN(millis) ? 'Invalid Date' : JSON.stringify(new Date(millis).toISOString());
	}
	if (isDateTimeLike(value)) {
		return value.isValid
			? `a DateTime (${new Date(value.toMillis()).toISOString()})`
			: `an invalid DateTime (${String(value.invalidReason)})`;
	}
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		// Circular structures cannot be shown; the type tag is enough to find the mistake.
		json = undefined;
	}
	return truncateForMessage(json ?? Object.prototype.toString.call(value));
}

export function isEmptyDate(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

interface DateTimeLike {
	isValid: boolean;
	invalidReason?: string | null;
	toMillis(): number;
}

// n8n expressions return DateTimes from n8n's own luxon copy, so instanceof is not enough.
function isDateTimeLike(value: unknown): value is DateTimeLike {
	if (typeof value !== 'object' || value === null) return false;
	const candidate = value as Record<string, unknown>;
	return (
		typeof candidate.toMillis === 'function' &&
		(candidate.isLuxonDateTime === true || typeof candidate.toISO === 'function') &&
		typeof candidate.isValid === 'boolean'
	);
}

// Object.prototype.toString also recognises Dates from other realms (vm contexts).
function isJsDate(value: unknown): value is Date {
	return Object.prototype.toString.call(value) === '[object Date]';
}

function resolveZone(timeZone: unknown): Zone {
	if (typeof timeZone !== 'string' || timeZone.trim() === '') {
		throw new InvalidTimeZoneError(timeZone);
	}
	const zone = Info.normalizeZone(timeZone.trim());
	// 'system'/'local' would depend on the server's clock settings, not the workflow's.
	if (!zone?.isValid || (zone.type !== 'iana' && zone.type !== 'fixed')) {
		throw new InvalidTimeZoneError(timeZone);
	}
	return zone;
}

function fromEpoch(original: unknown, epoch: number, zone: Zone): DateTime {
	if (!Number.isFinite(epoch)) {
		throw new InvalidDateError(original, 'it is not a finite number');
	}
	const millis = Math.round(Math.abs(epoch) < EPOCH_SECONDS_THRESHOLD ? epoch * 1000 : epoch);
	return DateTime.fromMillis(millis, { zone });
}

// Picks the first occurrence of a wall time that a fall-back transition repeats.
function earliestOccurrence(parsed: DateTime): DateTime {
	const zone = parsed.zone;
	if (zone.isUniversal) return parsed;
	const instant = parsed.toMillis();
	const wallMillis = instant + parsed.offset * 60_000;
	const offsets = new Set([
		parsed.offset,
		zone.offset(instant - DAY_MS),
		zone.offset(instant + DAY_MS),
	]);
	let earliest = instant;
	for (const offset of offsets) {
		const candidate = wallMillis - offset * 60_000;
		if (candidate < earliest && zone.offset(candidate) === offset) earliest = candidate;
	}
	return earliest === instant ? parsed : DateTime.fromMillis(earliest, { zone });
}

function inRange(dateTime: DateTime): boolean {
	return dateTime.isValid && dateTime.year >= MIN_YEAR && dateTime.year <= MAX_YEAR;
}

function utcText(dateTime: DateTime): string {
	return `${new Date(dateTime.toMillis()).toISOString().slice(0, 19)}Z`;
}

const COMPACT_FORMATS: Record<number, [input: string, output: string]> = {
	8: ['yyyyMMdd', 'yyyy-MM-dd'],
	12: ['yyyyMMddHHmm', "yyyy-MM-dd'T'HH:mm"],
	14: ['yyyyMMddHHmmss', "yyyy-MM-dd'T'HH:mm:ss"],
};

// Spreadsheets count days from 1899-12-30 (Excel, Google Sheets, LibreOffice); 20000 to 80000
// is 1954 to 2119.
const SERIAL_MIN = 20_000;
const SERIAL_MAX = 80_000;
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * The likely mistake behind a number (or digit text) that is not a plausible date, or undefined.
 * `digits` is the unsigned integer text of the value, when it is one.
 */
function numberMistake(
	value: number,
	digits: string | undefined,
	zone: Zone,
	allowYear: boolean,
): string | undefined {
	const compact = digits === undefined ? undefined : COMPACT_FORMATS[digits.length];
	if (digits !== undefined && compact) {
		const date = DateTime.fromFormat(digits, compact[0], { zone });
		if (inRange(date)) {
			return `it looks like a compact date; write it as ${date.toFormat(compact[1])}`;
		}
	}
	if (allowYear && digits !== undefined && digits.length === 4) {
		return `it looks like a year; give a whole date such as ${digits}-01-15`;
	}
	if (value >= SERIAL_MIN && value <= SERIAL_MAX) {
		const wall = DateTime.fromMillis(SERIAL_EPOCH_MS + Math.round(value * DAY_MS), { zone: 'utc' });
		const shown = wall.toFormat(Number.isInteger(value) ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm");
		return (
			`it looks like a spreadsheet serial date (days since 1899-12-30; ${value} is ${shown}): ` +
			'format that column as a date, or convert it'
		);
	}
	const readAsSeconds = Math.abs(value) < EPOCH_SECONDS_THRESHOLD;
	const units: Array<[name: string, millis: number]> = [
		['seconds', value * 1000],
		['milliseconds', value],
		['microseconds', value / 1000],
	];
	for (const [unit, millis] of units) {
		if (unit === (readAsSeconds ? 'seconds' : 'milliseconds')) continue;
		const date = DateTime.fromMillis(Math.round(millis), { zone });
		if (inRange(date)) {
			return (
				`it looks like epoch ${unit} (${utcText(date)}), but a number of this size is read as ` +
				`epoch ${readAsSeconds ? 'seconds' : 'milliseconds'}; give a Unix timestamp in seconds ` +
				'or milliseconds'
			);
		}
	}
	return undefined;
}

/** Why a date that parsed is not accepted: outside the plausible years, with the likely cause. */
function outOfRangeReason(value: unknown, parsed: DateTime, zone: Zone): string {
	let numeric: number | undefined;
	let digits: string | undefined;
	if (typeof value === 'number') {
		numeric = value;
		if (Number.isSafeInteger(value) && value >= 0) digits = String(value);
	} else if (typeof value === 'string' && EPOCH_STRING.test(value.trim())) {
		numeric = Number(value.trim());
		if (/^\d+$/.test(value.trim())) digits = value.trim();
	}
	if (numeric !== undefined) {
		const mistake = numberMistake(numeric, digits, zone, true);
		if (mistake) return mistake;
		const unit = Math.abs(numeric) < EPOCH_SECONDS_THRESHOLD ? 'seconds' : 'milliseconds';
		const reading = parsed.isValid ? `it is ${utcText(parsed)}` : 'it is beyond any calendar';
		return `read as epoch ${unit} ${reading}, outside ${RANGE}`;
	}
	if (!parsed.isValid) return 'it is outside the range of representable dates';
	return `its year ${parsed.year} is outside ${RANGE}`;
}

const EPOCH_STRING = /^[+-]?(\d+)(?:\.\d+)?$/;
// 15/01/2025, 01-15-2025, 15.01.25: the day/month order cannot be known.
const DAY_MONTH_STRING = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:$|[\sT,])/;
// Requires a complete calendar, week or ordinal date so luxon's time-only forms ('10:30',
// '1030Z'), which silently mean today, are never accepted.
const ISO_DATE_PREFIX =
	/^(?:[+-]\d{6}|\d{4})(?:-(?:\d{2}(?:-\d{2})?|W\d{2}(?:-\d)?|\d{3})|\d{4}|W\d{2}\d?|\d{3})(?:$|T)/i;
const SQL_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}(?:$|\s)/;
// .NET's round-trip form, Nexudus's own: 7 fractional digits, no offset, UTC.
const NEXUDUS_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/;

function parseString(original: string, text: string, zone: Zone): DateTime {
	const epochMatch = EPOCH_STRING.exec(text);
	if (epochMatch) {
		if (epochMatch[1].length < MIN_EPOCH_STRING_DIGITS) {
			const digits = /^\d+$/.test(text) ? text : undefined;
			throw new InvalidDateError(
				original,
				numberMistake(Number(text), digits, zone, false) ??
					'a short number in text could be a year, a compact date or a timestamp; write the ' +
						'date as yyyy-MM-dd, or give the timestamp as a number or with at least 9 digits',
			);
		}
		return fromEpoch(original, Number(text), zone);
	}
	if (DAY_MONTH_STRING.test(text)) {
		throw new InvalidDateError(
			original,
			'the order of day and month is ambiguous, write it as ISO yyyy-MM-dd (for example ' +
				'2025-01-15)',
		);
	}

	const attempts: DateTime[] = [];
	if (ISO_DATE_PREFIX.test(text)) {
		const isNexudus = NEXUDUS_WITHOUT_OFFSET.test(text);
		attempts.push(DateTime.fromISO(text, { zone: isNexudus ? 'utc' : zone, setZone: true }));
	}
	if (SQL_DATE_PREFIX.test(text)) {
		attempts.push(DateTime.fromSQL(text, { zone, setZone: true }));
	}
	attempts.push(DateTime.fromRFC2822(text, { zone, setZone: true }));
	attempts.push(DateTime.fromHTTP(text, { zone, setZone: true }));

	const parsed = attempts.find((attempt) => attempt.isValid);
	if (parsed) return earliestOccurrence(parsed).setZone(zone);

	// A recognised layout with impossible fields (2025-02-30) deserves a precise reason.
	const recognised = attempts.find((attempt) => attempt.invalidReason !== 'unparsable');
	if (recognised) {
		throw new InvalidDateError(
			original,
			`it is not a real date or time (${recognised.invalidExplanation ?? recognised.invalidReason})`,
		);
	}
	throw new InvalidDateError(original, 'it is not in a supported format');
}

function parseAny(value: unknown, zone: Zone): DateTime {
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') throw new InvalidDateError(value, 'it is empty');
		return parseString(value, text, zone);
	}
	if (typeof value === 'number') return fromEpoch(value, value, zone);
	if (isJsDate(value)) {
		const millis = Date.prototype.getTime.call(value);
		if (Number.isNaN(millis)) throw new InvalidDateError(value, 'the Date object is invalid');
		return DateTime.fromMillis(millis, { zone });
	}
	if (isDateTimeLike(value)) {
		if (!value.isValid) throw new InvalidDateError(value, 'the DateTime object is invalid');
		// Rebuilt from the instant so the result is always this module's luxon.
		return DateTime.fromMillis(value.toMillis(), { zone });
	}
	if (value === undefined || value === null) throw new InvalidDateError(value, 'it is empty');
	throw new InvalidDateError(
		value,
		`a value of type ${Array.isArray(value) ? 'array' : typeof value} is not a date`,
	);
}

function isValidDateTime(dateTime: DateTime): dateTime is DateTime<true> {
	return dateTime.isValid;
}

export function parseDateInput(value: unknown, timeZone: string): DateTime<true> {
	const zone = resolveZone(timeZone);
	const parsed = parseAny(value, zone);
	// An asset assignment outside the plausible years is a typo or a unit mistake.
	if (!isValidDateTime(parsed) || !inRange(parsed)) {
		throw new InvalidDateError(value, outOfRangeReason(value, parsed, zone));
	}
	return parsed;
}

function toUtcIsoString(value: unknown, timeZone: string): string {
	return new Date(parseDateInput(value, timeZone).toMillis()).toISOString();
}

export function toNexudusDateTime(value: unknown, timeZone: string): string {
	return `${toUtcIsoString(value, timeZone).slice(0, 19)}Z`;
}

export function toNexudusFilterDate(value: unknown, timeZone: string): string {
	return toUtcIsoString(value, timeZone).slice(0, 16);
}

/*
 * Dates out. Nexudus writes its UTC dates as 2025-01-15T10:30:00Z, without an offset
 * (2026-01-12T09:00:00.1234567, .NET's round-trip form) or with +00:00. Every output shows them
 * one way, 2026-01-12T09:00:00.123Z: UTC with Z, to the millisecond (digits after the third are
 * cut, never rounded; .000 is left out, as the node writes dates), so a date read by one node
 * means the same instant in the next, whatever the workflow's time zone.
 * - A field is a date by Nexudus's naming (CreatedOn, StartDate, CoworkerStartDates, AssignedFrom,
 *   AssignedTo, FromTime, RepeatUntil, LastTrigger, LastRenewal, LastOverDueInvoiceReminder,
 *   LastInvoiceAttempt, NextAutoInvoice, DateOfBirth) and its value must be a date and time:
 *   text under such a name (a date without time, an e-mail in ReplyTo) is left as it is.
 * - ...Local fields (FromTimeLocal, RegistrationDateLocal) hold the location's wall-clock time:
 *   never touched.
 */
const DATE_FIELD =
	/(?:On|Dates?|From|To|Time|Until|Trigger|Renewal|Reminder|Attempt|Invoice|Birth)$/;
const LOCAL_FIELD = /Local$/;
const NEXUDUS_DATE_TIME =
	/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ZERO_OFFSET = /^(?:Z|[+-]00:?00)?$/;

/** A Nexudus date and time as UTC ISO 8601 with Z; undefined when the text is not one. */
export function nexudusDateOut(text: string): string | undefined {
	const match = NEXUDUS_DATE_TIME.exec(text);
	if (!match) return undefined;
	const [, minutes, seconds = '00', fraction = '', offset = ''] = match;
	let wall = `${minutes}:${seconds}`;
	if (ZERO_OFFSET.test(offset)) {
		if (!DateTime.fromISO(wall, { zone: 'utc' }).isValid) return undefined;
	} else {
		const parsed = DateTime.fromISO(`${wall}${offset}`, { setZone: true });
		if (!parsed.isValid) return undefined;
		wall = parsed.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss");
	}
	const millis = fraction.slice(0, 3).padEnd(3, '0');
	return `${wall}${millis === '000' ? '' : `.${millis}`}Z`;
}

function dateFieldOut(value: unknown): unknown {
	if (typeof value === 'string') return nexudusDateOut(value) ?? value;
	if (Array.isArray(value)) return value.map(dateFieldOut);
	return datesOut(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

function datesOut(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(datesOut);
	if (!isPlainObject(value)) return value;
	const out: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(value)) {
		out[name] =
			DATE_FIELD.test(name) && !LOCAL_FIELD.test(name) ? dateFieldOut(field) : datesOut(field);
	}
	return out;
}

/**
 * A copy of an output item's json with every UTC date of Nexudus (nested records included) as
 * UTC ISO 8601 with Z. The one place dates are shaped for output: the action node's router and
 * the trigger both call it.
 */
export function utcDatesOut(json: IDataObject): IDataObject {
	return datesOut(json) as IDataObject;
}
