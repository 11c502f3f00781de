import { DateTime, Info } from 'luxon';
import type { Zone } from 'luxon';

/*
 * Nexudus expects UTC instants such as 2025-01-15T10:30:00Z. Users give us dates in many shapes
 * (n8n's date picker, expressions returning luxon objects, timestamps, copied HTTP headers), so
 * everything goes through parseDateInput, which is strict on purpose: a date Nexudus misreads
 * books the wrong desk, so an unclear value is an error rather than a guess.
 *
 * Decisions:
 * - A value without an offset is wall-clock time in the workflow's time zone; a value with an
 *   offset or Z keeps its instant. Date-only values mean the start of that day.
 * - n8n's dateTime parameter (the date picker) stores 'yyyy-MM-ddTHH:mm:ss' with no offset (the
 *   editor's value-format), or an ISO string ending in .000Z when a Date object was emitted;
 *   both are plain ISO 8601 here.
 * - Epoch numbers: |n| < 1e11 is seconds, otherwise milliseconds. 1e11 s is the year 5138 and
 *   1e11 ms is 1973-03-03, so only milliseconds before March 1973 are misread (as seconds).
 *   Negative and fractional values are accepted; the result is rounded to the millisecond.
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
const MAX_DESCRIPTION_LENGTH = 80;
const DAY_MS = 86_400_000;

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

function truncate(text: string): string {
	return text.length > MAX_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_DESCRIPTION_LENGTH)}…` : text;
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (value === null) return 'null';
	if (typeof value === 'string') return truncate(JSON.stringify(value));
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value === 'bigint') return `${value}n`;
	if (typeof value === 'symbol') return value.toString();
	if (typeof value === 'function') return 'a function';
	if (isJsDate(value)) return 'Invalid Date';
	if (isDateTimeLike(value)) return `an invalid DateTime (${String(value.invalidReason)})`;
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		// Circular structures cannot be shown; the type tag is enough to find the mistake.
		json = undefined;
	}
	return truncate(json ?? Object.prototype.toString.call(value));
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

const EPOCH_STRING = /^[+-]?(\d+)(?:\.\d+)?$/;
// 15/01/2025, 01-15-2025, 15.01.25: the day/month order cannot be known.
const DAY_MONTH_STRING = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:$|[\sT,])/;
// Requires a complete calendar, week or ordinal date so luxon's time-only forms ('10:30',
// '1030Z'), which silently mean today, are never accepted.
const ISO_DATE_PREFIX =
	/^(?:[+-]\d{6}|\d{4})(?:-(?:\d{2}(?:-\d{2})?|W\d{2}(?:-\d)?|\d{3})|\d{4}|W\d{2}\d?|\d{3})(?:$|T)/i;
const SQL_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}(?:$|\s)/;

function parseString(original: string, text: string, zone: Zone): DateTime {
	const epochMatch = EPOCH_STRING.exec(text);
	if (epochMatch) {
		if (epochMatch[1].length < MIN_EPOCH_STRING_DIGITS) {
			throw new InvalidDateError(
				original,
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
		attempts.push(DateTime.fromISO(text, { zone, setZone: true }));
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
	if (!isValidDateTime(parsed)) {
		throw new InvalidDateError(value, 'it is outside the range of representable dates');
	}
	// Nexudus stores four-digit years; anything else is a typo or a unit mistake.
	const year = parsed.toUTC().year;
	if (year < 1 || year > 9999) {
		throw new InvalidDateError(value, `its year ${year} is outside 0001 to 9999`);
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

const NEXUDUS_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The instant of a date in a Nexudus record. Nexudus stores UTC but does not always write the
 * trailing Z ("2025-01-15T10:30:00"); Date.parse would read that as the n8n machine's local
 * time, so a value without an offset is read as UTC here.
 */
export function nexudusInstant(value: unknown): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const match = NEXUDUS_DATE_TIME.exec(value.trim());
	if (!match) {
		const dateOnly = /^\d{4}-\d{2}-\d{2}$/.exec(value.trim());
		return dateOnly ? Date.parse(`${dateOnly[0]}T00:00:00Z`) : undefined;
	}
	const [, day, time, offset] = match;
	const zone =
		offset === undefined || offset.toUpperCase() === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2}):?/, '$1:');
	const instant = Date.parse(`${day}T${time}${zone}`);
	return Number.isNaN(instant) ? undefined : instant;
}
