import { DateTime } from 'luxon';

import {
	EPOCH_SECONDS_THRESHOLD,
	InvalidDateError,
	InvalidTimeZoneError,
	isEmptyDate,
	MAX_YEAR,
	MIN_YEAR,
	nexudusDateOut,
	parseDateInput,
	toNexudusDateTime,
	toNexudusFilterDate,
	utcDatesOut,
} from '../../../../nodes/Nexudus/helpers/dates';

const MADRID = 'Europe/Madrid';
const NEW_YORK = 'America/New_York';
const UTC = 'UTC';

// 2025-01-15T10:30:00Z
const EPOCH_S = 1736937000;
const EPOCH_MS = 1736937000000;

function catchError(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to throw');
}

describe('isEmptyDate', () => {
	it.each([[undefined], [null], [''], ['   '], ['\t\n']])('treats %p as empty', (value) => {
		expect(isEmptyDate(value)).toBe(true);
	});

	it.each([['2025-01-15'], [0], [false], ['x'], [new Date(0)], [{}]])(
		'treats %p as not empty',
		(value) => {
			expect(isEmptyDate(value)).toBe(false);
		},
	);
});

describe('toNexudusDateTime: accepted inputs', () => {
	const cases: Array<[string, unknown, string, string]> = [
		// ISO 8601 calendar dates and times
		['date only, UTC', '2025-01-15', UTC, '2025-01-15T00:00:00Z'],
		['date only, Madrid winter', '2025-01-15', MADRID, '2025-01-14T23:00:00Z'],
		['date only, Madrid summer', '2025-07-15', MADRID, '2025-07-14T22:00:00Z'],
		['date only, New York', '2025-01-15', NEW_YORK, '2025-01-15T05:00:00Z'],
		['year-month', '2025-01', UTC, '2025-01-01T00:00:00Z'],
		['hour only', '2025-01-15T10', MADRID, '2025-01-15T09:00:00Z'],
		['minutes', '2025-01-15T10:30', MADRID, '2025-01-15T09:30:00Z'],
		['seconds', '2025-01-15T10:30:00', MADRID, '2025-01-15T09:30:00Z'],
		['milliseconds', '2025-01-15T10:30:00.123', MADRID, '2025-01-15T09:30:00Z'],
		['summer time', '2025-07-15T10:30', MADRID, '2025-07-15T08:30:00Z'],
		['New York winter', '2025-01-15T10:30', NEW_YORK, '2025-01-15T15:30:00Z'],
		['New York summer', '2025-07-15T10:30', NEW_YORK, '2025-07-15T14:30:00Z'],
		['UTC zone', '2025-01-15T10:30', UTC, '2025-01-15T10:30:00Z'],
		[
			'offset +02:00 keeps instant',
			'2025-01-15T10:30:00.123+02:00',
			MADRID,
			'2025-01-15T08:30:00Z',
		],
		['offset -05:00', '2025-01-15T10:30:00-05:00', MADRID, '2025-01-15T15:30:00Z'],
		['offset without colon', '2025-01-15T10:30:00+0530', UTC, '2025-01-15T05:00:00Z'],
		['Z keeps instant in Madrid', '2025-01-15T10:30:00Z', MADRID, '2025-01-15T10:30:00Z'],
		['Z keeps instant in New York', '2025-01-15T10:30:00Z', NEW_YORK, '2025-01-15T10:30:00Z'],
		['milliseconds truncated', '2025-01-15T10:30:59.999Z', UTC, '2025-01-15T10:30:59Z'],
		['expanded year', '+002025-01-15T10:30:00Z', UTC, '2025-01-15T10:30:00Z'],
		['basic format', '20250115T103000Z', UTC, '2025-01-15T10:30:00Z'],
		// ISO week and ordinal dates
		['week date', '2025-W03-3', UTC, '2025-01-15T00:00:00Z'],
		['week date with time', '2025-W03-3T10:30', MADRID, '2025-01-15T09:30:00Z'],
		['ordinal date', '2025-015', UTC, '2025-01-15T00:00:00Z'],
		['ordinal date with time', '2025-015T10:30:00Z', MADRID, '2025-01-15T10:30:00Z'],
		// n8n date picker (value-format YYYY-MM-DDTHH:mm:ss, or Date#toISOString)
		['date picker value', '2025-01-15T10:30:00', NEW_YORK, '2025-01-15T15:30:00Z'],
		['date picker with .000', '2025-01-15T10:30:00.000', MADRID, '2025-01-15T09:30:00Z'],
		['date picker toISOString', '2025-01-15T10:30:00.000Z', MADRID, '2025-01-15T10:30:00Z'],
		// SQL style
		['SQL minutes', '2025-01-15 10:30', MADRID, '2025-01-15T09:30:00Z'],
		['SQL seconds', '2025-01-15 10:30:00', NEW_YORK, '2025-01-15T15:30:00Z'],
		['SQL fraction', '2025-01-15 10:30:00.123', UTC, '2025-01-15T10:30:00Z'],
		['SQL offset', '2025-01-15 10:30:00 +02:00', MADRID, '2025-01-15T08:30:00Z'],
		['SQL fraction and offset', '2025-01-15 10:30:00.5+02:00', NEW_YORK, '2025-01-15T08:30:00Z'],
		['SQL Z', '2025-01-15 10:30:00Z', MADRID, '2025-01-15T10:30:00Z'],
		// RFC 2822 and HTTP dates
		['RFC 2822 +0000', 'Wed, 15 Jan 2025 10:30:00 +0000', MADRID, '2025-01-15T10:30:00Z'],
		['RFC 2822 +0100', 'Wed, 15 Jan 2025 10:30:00 +0100', UTC, '2025-01-15T09:30:00Z'],
		['RFC 2822 no weekday', '15 Jan 2025 10:30 GMT', NEW_YORK, '2025-01-15T10:30:00Z'],
		['RFC 2822 EST', 'Wed, 15 Jan 2025 10:30:00 EST', MADRID, '2025-01-15T15:30:00Z'],
		['HTTP IMF-fixdate', 'Wed, 15 Jan 2025 10:30:00 GMT', MADRID, '2025-01-15T10:30:00Z'],
		['HTTP RFC 850', 'Wednesday, 15-Jan-25 10:30:00 GMT', MADRID, '2025-01-15T10:30:00Z'],
		['HTTP asctime is GMT', 'Wed Jan 15 10:30:00 2025', MADRID, '2025-01-15T10:30:00Z'],
		// epoch timestamps
		['epoch seconds', EPOCH_S, MADRID, '2025-01-15T10:30:00Z'],
		['epoch milliseconds', EPOCH_MS, MADRID, '2025-01-15T10:30:00Z'],
		['epoch seconds string', '1736937000', NEW_YORK, '2025-01-15T10:30:00Z'],
		['epoch milliseconds string', '1736937000000', UTC, '2025-01-15T10:30:00Z'],
		['epoch string padded', '  1736937000  ', UTC, '2025-01-15T10:30:00Z'],
		['fractional seconds', 1736937000.75, UTC, '2025-01-15T10:30:00Z'],
		['fractional seconds string', '1736937001.5', UTC, '2025-01-15T10:30:01Z'],
		['milliseconds not on a second', 1736937000999, UTC, '2025-01-15T10:30:00Z'],
		// the plausible range is the years 1980 to 2100 in the workflow time zone
		['first second of 1980 (seconds)', 315532800, UTC, '1980-01-01T00:00:00Z'],
		['first millisecond of 1980', 315532800000, UTC, '1980-01-01T00:00:00Z'],
		['last second of 2100 (seconds)', 4133980799, UTC, '2100-12-31T23:59:59Z'],
		['last millisecond of 2100', 4133980799999, UTC, '2100-12-31T23:59:59Z'],
		['1980 in the zone, 1979 in UTC', '1980-01-01', MADRID, '1979-12-31T23:00:00Z'],
		['end of 2100', '2100-12-31T23:59:59', UTC, '2100-12-31T23:59:59Z'],
		['ten-digit seconds string in 2033', '2000000000', UTC, '2033-05-18T03:33:20Z'],
		// Date and DateTime objects
		['Date', new Date(Date.UTC(2025, 0, 15, 10, 30)), MADRID, '2025-01-15T10:30:00Z'],
		[
			'DateTime in another zone',
			DateTime.fromISO('2025-01-15T10:30', { zone: NEW_YORK }),
			MADRID,
			'2025-01-15T15:30:00Z',
		],
		[
			'DateTime in UTC',
			DateTime.fromMillis(EPOCH_MS, { zone: 'utc' }),
			NEW_YORK,
			'2025-01-15T10:30:00Z',
		],
		// whitespace and zone spelling
		['surrounding whitespace', '  2025-01-15T10:30  ', MADRID, '2025-01-15T09:30:00Z'],
		['newline and tab', '\n\t2025-01-15\t', UTC, '2025-01-15T00:00:00Z'],
		['fixed offset zone', '2025-01-15T10:30', 'UTC+2', '2025-01-15T08:30:00Z'],
		['lowercase utc', '2025-01-15T10:30', 'utc', '2025-01-15T10:30:00Z'],
	];

	it.each(cases)('%s: %p in %s', (_label, input, zone, expected) => {
		expect(toNexudusDateTime(input, zone)).toBe(expected);
	});
});

describe('DST boundaries', () => {
	const cases: Array<[string, string, string, string]> = [
		// Europe/Madrid: spring forward 2025-03-30 02:00 -> 03:00, fall back 2025-10-26 03:00 -> 02:00
		['Madrid before spring forward', '2025-03-30T01:59', MADRID, '2025-03-30T00:59:00Z'],
		['Madrid gap shifts forward', '2025-03-30T02:30', MADRID, '2025-03-30T01:30:00Z'],
		['Madrid after spring forward', '2025-03-30T03:00', MADRID, '2025-03-30T01:00:00Z'],
		['Madrid 03:30 equals the gap time', '2025-03-30T03:30', MADRID, '2025-03-30T01:30:00Z'],
		['Madrid day of spring forward', '2025-03-30', MADRID, '2025-03-29T23:00:00Z'],
		['Madrid day after spring forward', '2025-03-31', MADRID, '2025-03-30T22:00:00Z'],
		['Madrid before fall back', '2025-10-26T01:59', MADRID, '2025-10-25T23:59:00Z'],
		['Madrid ambiguous takes first', '2025-10-26T02:30', MADRID, '2025-10-26T00:30:00Z'],
		['Madrid ambiguous 02:00', '2025-10-26T02:00', MADRID, '2025-10-26T00:00:00Z'],
		['Madrid ambiguous 02:59', '2025-10-26T02:59:59', MADRID, '2025-10-26T00:59:59Z'],
		['Madrid ambiguous in SQL', '2025-10-26 02:30:00', MADRID, '2025-10-26T00:30:00Z'],
		[
			'Madrid second occurrence by offset',
			'2025-10-26T02:30+01:00',
			MADRID,
			'2025-10-26T01:30:00Z',
		],
		['Madrid after fall back', '2025-10-26T03:00', MADRID, '2025-10-26T02:00:00Z'],
		['Madrid day of fall back', '2025-10-26', MADRID, '2025-10-25T22:00:00Z'],
		['Madrid day after fall back', '2025-10-27', MADRID, '2025-10-26T23:00:00Z'],
		// America/New_York: spring forward 2025-03-09 02:00 -> 03:00, fall back 2025-11-02 02:00 -> 01:00
		['New York day before spring', '2025-03-08T10:00', NEW_YORK, '2025-03-08T15:00:00Z'],
		['New York before spring forward', '2025-03-09T01:59', NEW_YORK, '2025-03-09T06:59:00Z'],
		['New York gap shifts forward', '2025-03-09T02:30', NEW_YORK, '2025-03-09T07:30:00Z'],
		['New York after spring forward', '2025-03-09T03:00', NEW_YORK, '2025-03-09T07:00:00Z'],
		['New York day after spring', '2025-03-10T10:00', NEW_YORK, '2025-03-10T14:00:00Z'],
		['New York day before fall', '2025-11-01T10:00', NEW_YORK, '2025-11-01T14:00:00Z'],
		['New York before fall back', '2025-11-02T00:30', NEW_YORK, '2025-11-02T04:30:00Z'],
		['New York ambiguous takes first', '2025-11-02T01:30', NEW_YORK, '2025-11-02T05:30:00Z'],
		['New York second occurrence', '2025-11-02T01:30-05:00', NEW_YORK, '2025-11-02T06:30:00Z'],
		['New York after fall back', '2025-11-02T02:00', NEW_YORK, '2025-11-02T07:00:00Z'],
		['New York day after fall', '2025-11-03T10:00', NEW_YORK, '2025-11-03T15:00:00Z'],
		['UTC has no DST', '2025-03-30T02:30', UTC, '2025-03-30T02:30:00Z'],
	];

	it.each(cases)('%s: %s in %s', (_label, input, zone, expected) => {
		expect(toNexudusDateTime(input, zone)).toBe(expected);
	});

	it('returns the first occurrence as a DateTime with the summer offset', () => {
		expect(parseDateInput('2025-10-26T02:30', MADRID).toISO()).toBe(
			'2025-10-26T02:30:00.000+02:00',
		);
		expect(parseDateInput('2025-11-02T01:30', NEW_YORK).toISO()).toBe(
			'2025-11-02T01:30:00.000-04:00',
		);
	});

	it('moves a nonexistent time forward by the gap', () => {
		expect(parseDateInput('2025-03-30T02:30', MADRID).toISO()).toBe(
			'2025-03-30T03:30:00.000+02:00',
		);
		expect(parseDateInput('2025-03-09T02:30', NEW_YORK).toISO()).toBe(
			'2025-03-09T03:30:00.000-04:00',
		);
	});
});

describe('toNexudusFilterDate', () => {
	const cases: Array<[unknown, string, string]> = [
		['2025-01-15T10:30:59', UTC, '2025-01-15T10:30'],
		['2025-01-15T10:30:59.999Z', MADRID, '2025-01-15T10:30'],
		['2025-01-15', MADRID, '2025-01-14T23:00'],
		['2025-01-15', NEW_YORK, '2025-01-15T05:00'],
		['2025-10-26T02:30', MADRID, '2025-10-26T00:30'],
		[EPOCH_S, MADRID, '2025-01-15T10:30'],
		[new Date(Date.UTC(2025, 0, 15, 23, 59, 59)), NEW_YORK, '2025-01-15T23:59'],
	];

	it.each(cases)('%p in %s -> %s', (input, zone, expected) => {
		expect(toNexudusFilterDate(input, zone)).toBe(expected);
	});

	it('rejects like toNexudusDateTime', () => {
		expect(() => toNexudusFilterDate('tomorrow', UTC)).toThrow(InvalidDateError);
	});
});

describe('parseDateInput', () => {
	it('returns a valid DateTime in the workflow time zone with the same instant', () => {
		const result = parseDateInput('2025-01-15T10:30:00Z', MADRID);
		expect(result).toBeInstanceOf(DateTime);
		expect(result.isValid).toBe(true);
		expect(result.zoneName).toBe(MADRID);
		expect(result.toISO()).toBe('2025-01-15T11:30:00.000+01:00');
	});

	it('keeps milliseconds on the DateTime (only the Nexudus string drops them)', () => {
		expect(parseDateInput('2025-01-15T10:30:00.123Z', UTC).toMillis()).toBe(EPOCH_MS + 123);
	});

	it('rounds epoch values to the millisecond', () => {
		expect(parseDateInput(1736937000.0006, UTC).toMillis()).toBe(EPOCH_MS + 1);
		expect(parseDateInput(EPOCH_MS + 0.4, UTC).toMillis()).toBe(EPOCH_MS);
	});

	it('accepts DateTime objects from another copy of luxon', () => {
		let OtherDateTime: typeof DateTime | undefined;
		jest.isolateModules(() => {
			OtherDateTime = (require('luxon') as typeof import('luxon')).DateTime;
		});
		if (!OtherDateTime) throw new Error('luxon did not load');
		expect(OtherDateTime).not.toBe(DateTime);
		const foreign = OtherDateTime.fromISO('2025-01-15T10:30', { zone: NEW_YORK });
		expect(foreign instanceof DateTime).toBe(false);

		const result = parseDateInput(foreign, MADRID);
		expect(result).toBeInstanceOf(DateTime);
		expect(result.toISO()).toBe('2025-01-15T16:30:00.000+01:00');
		expect(toNexudusDateTime(foreign, UTC)).toBe('2025-01-15T15:30:00Z');
	});

	it('accepts a duck-typed DateTime (isLuxonDateTime, toMillis, toISO)', () => {
		const duck = {
			isLuxonDateTime: true,
			isValid: true,
			toMillis: () => EPOCH_MS,
			toISO: () => '2025-01-15T10:30:00.000Z',
		};
		expect(toNexudusDateTime(duck, MADRID)).toBe('2025-01-15T10:30:00Z');
	});

	it('accepts a Date from another realm', () => {
		const vm = require('node:vm') as typeof import('node:vm');
		const foreignDate: unknown = vm.runInNewContext('new Date(Date.UTC(2025, 0, 15, 10, 30))');
		expect(foreignDate instanceof Date).toBe(false);
		expect(toNexudusDateTime(foreignDate, MADRID)).toBe('2025-01-15T10:30:00Z');
	});

	it('trims the time zone name', () => {
		expect(toNexudusDateTime('2025-01-15T10:30', ' Europe/Madrid ')).toBe('2025-01-15T09:30:00Z');
	});
});

describe('rejected inputs', () => {
	const invalidDateTime = DateTime.invalid('broken on purpose');
	const circular: Record<string, unknown> = {};
	circular.self = circular;

	// [label, input, text the message must contain]
	const cases: Array<[string, unknown, string]> = [
		['empty string', '', '""'],
		['whitespace', '   ', '"   "'],
		['undefined', undefined, 'undefined'],
		['null', null, 'null'],
		['relative word', 'tomorrow', '"tomorrow"'],
		['now', 'now', '"now"'],
		['month 13', '2025-13-01', '"2025-13-01"'],
		['month 0', '2025-00-10', '"2025-00-10"'],
		['February 30', '2025-02-30', '"2025-02-30"'],
		['February 29 in a common year', '2025-02-29', '"2025-02-29"'],
		['hour 25', '2025-01-15T25:00', '"2025-01-15T25:00"'],
		['minute 60', '2025-01-15T10:60', '"2025-01-15T10:60"'],
		['SQL invalid day', '2025-04-31 10:00:00', '"2025-04-31 10:00:00"'],
		['day/month with slashes', '15/01/2025', '"15/01/2025"'],
		['month/day with slashes', '01/15/2025', '"01/15/2025"'],
		['short day/month', '1/2/25', '"1/2/25"'],
		['day/month with dots', '15.01.2025', '"15.01.2025"'],
		['day/month with dashes', '15-01-2025', '"15-01-2025"'],
		['day/month with time', '15/01/2025 10:30', '"15/01/2025 10:30"'],
		['slashes year first', '2025/01/15', '"2025/01/15"'],
		['month name', 'Jan 15 2025', '"Jan 15 2025"'],
		['long month name', 'January 15, 2025', '"January 15, 2025"'],
		['day month name', '15 January 2025', '"15 January 2025"'],
		[
			'JS Date#toString',
			'Wed Jan 15 2025 10:30:00 GMT+0100',
			'"Wed Jan 15 2025 10:30:00 GMT+0100"',
		],
		[
			'RFC 2822 wrong weekday',
			'Thu, 15 Jan 2025 10:30:00 +0000',
			'"Thu, 15 Jan 2025 10:30:00 +0000"',
		],
		['time only', '10:30', '"10:30"'],
		['time only with seconds', '10:30:00', '"10:30:00"'],
		['basic time with Z', '1030Z', '"1030Z"'],
		['T time', 'T10:30', '"T10:30"'],
		['year only', '2025', '"2025"'],
		['compact date', '20250115', '"20250115"'],
		['eight digits', '12345678', '"12345678"'],
		['signed short number', '-5', '"-5"'],
		['trailing garbage', '2025-01-15T10:30:00Z extra', '"2025-01-15T10:30:00Z extra"'],
		['leading garbage', 'x2025-01-15', '"x2025-01-15"'],
		['space before offset in ISO', '2025-01-15T10:30 +02:00', '"2025-01-15T10:30 +02:00"'],
		['hex number', '0x1F', '"0x1F"'],
		['exponent string', '1.7e9', '"1.7e9"'],
		['year 0', '0000-01-01', '"0000-01-01"'],
		// outside the plausible years 1980 to 2100 (before: accepted as 1970 or 1966 dates)
		['zero', 0, '0'],
		['negative seconds', -86400, '-86400'],
		['negative seconds string', '-100000000', '"-100000000"'],
		['largest seconds value', EPOCH_SECONDS_THRESHOLD - 1, '99999999999'],
		['threshold is milliseconds (1973)', EPOCH_SECONDS_THRESHOLD, '100000000000'],
		['negative milliseconds', -EPOCH_SECONDS_THRESHOLD, '-100000000000'],
		['day before 1980', '1979-12-31', '"1979-12-31"'],
		['first day of 2101', '2101-01-01', '"2101-01-01"'],
		['year 2611', '2611-09-14T07:58:23Z', '"2611-09-14T07:58:23Z"'],
		['Date in 1970', new Date(0), '"1970-01-01T00:00:00.000Z"'],

		['year 10000', '+010000-01-01T00:00:00Z', '"+010000-01-01T00:00:00Z"'],
		['year 10000 from milliseconds', 253402300800000, '253402300800000'],
		['out of luxon range', 1e20, '100000000000000000000'],
		['true', true, 'true'],
		['false', false, 'false'],
		['NaN', NaN, 'NaN'],
		['Infinity', Infinity, 'Infinity'],
		['-Infinity', -Infinity, '-Infinity'],
		['bigint', BigInt(1736937000), '1736937000n'],
		['empty object', {}, '{}'],
		['object', { date: '2025-01-15' }, '{"date":"2025-01-15"}'],
		['circular object', circular, '[object Object]'],
		['empty array', [], '[]'],
		['array with a date', ['2025-01-15'], '["2025-01-15"]'],
		['invalid Date', new Date('not a date'), 'Invalid Date'],
		['invalid DateTime', invalidDateTime, 'broken on purpose'],
		['function', () => '2025-01-15', 'a function'],
		['symbol', Symbol('when'), 'Symbol(when)'],
	];

	it.each(cases)('%s: %p', (_label, input, shown) => {
		const error = catchError(() => parseDateInput(input, MADRID));
		expect(error).toBeInstanceOf(InvalidDateError);
		expect(error).not.toBeInstanceOf(InvalidTimeZoneError);
		const dateError = error as InvalidDateError;
		expect(dateError.name).toBe('InvalidDateError');
		expect(dateError.message).toContain(shown);
		expect(dateError.message).toContain('Use ISO 8601');
		expect(dateError.value).toBe(input);
		expect(dateError.reason.length).toBeGreaterThan(0);
		expect(dateError.message).toContain(dateError.reason);
		expect(() => toNexudusDateTime(input, UTC)).toThrow(InvalidDateError);
		expect(() => toNexudusFilterDate(input, UTC)).toThrow(InvalidDateError);
	});

	it('builds a full sentence naming the value and the accepted forms', () => {
		expect(() => parseDateInput('tomorrow', UTC)).toThrow(
			'Cannot read "tomorrow" as a date: it is not in a supported format. Use ISO 8601 ' +
				'(for example 2025-01-15 or 2025-01-15T10:30:00Z), yyyy-MM-dd HH:mm:ss, RFC 2822, ' +
				'an HTTP date, or a Unix timestamp in seconds or milliseconds.',
		);
	});

	it('explains ambiguous day/month order and points to yyyy-MM-dd', () => {
		const error = catchError(() => parseDateInput('15/01/2025', UTC)) as InvalidDateError;
		expect(error.reason).toBe(
			'the order of day and month is ambiguous, write it as ISO yyyy-MM-dd (for example 2025-01-15)',
		);
	});

	it('names the impossible field for a well-formed but unreal date', () => {
		const error = catchError(() => parseDateInput('2025-02-30', UTC)) as InvalidDateError;
		expect(error.reason).toBe(
			'it is not a real date or time (you specified 30 (of type number) as a day, which is invalid)',
		);
	});

	it('explains why short digit strings are refused', () => {
		const error = catchError(() => parseDateInput('2025', UTC)) as InvalidDateError;
		expect(error.reason).toContain('could be a year, a compact date or a timestamp');
	});

	it('reports the year for out-of-range years', () => {
		const error = catchError(() => parseDateInput('0000-06-01T00:00:00Z', UTC)) as InvalidDateError;
		expect(error.reason).toBe('its year 0 is outside the supported years 1980 to 2100');
	});

	it('shortens very long values in the message', () => {
		const long = `2025-01-15${'x'.repeat(500)}`;
		const error = catchError(() => parseDateInput(long, UTC)) as InvalidDateError;
		expect(error.message).toContain('"2025-01-15xxxx');
		expect(error.message).toContain('…');
		expect(error.message.length).toBeLessThan(400);
	});
});

describe('plausible range and the likely cause of an implausible date', () => {
	it('is the years 1980 to 2100', () => {
		expect([MIN_YEAR, MAX_YEAR]).toEqual([1980, 2100]);
	});

	// [label, input, reason]
	const cases: Array<[string, unknown, string]> = [
		[
			'a small number',
			15,
			'read as epoch seconds it is 1970-01-01T00:00:15Z, outside the supported years 1980 to 2100',
		],
		['a year as a number', 2025, 'it looks like a year; give a whole date such as 2025-01-15'],
		[
			'a spreadsheet serial date',
			45672,
			'it looks like a spreadsheet serial date (days since 1899-12-30; 45672 is 2025-01-15): ' +
				'format that column as a date, or convert it',
		],
		[
			'a spreadsheet serial date and time',
			45672.4375,
			'it looks like a spreadsheet serial date (days since 1899-12-30; 45672.4375 is ' +
				'2025-01-15T10:30): format that column as a date, or convert it',
		],
		[
			'a spreadsheet serial date as text',
			'45672',
			'it looks like a spreadsheet serial date (days since 1899-12-30; 45672 is 2025-01-15): ' +
				'format that column as a date, or convert it',
		],
		[
			'compact date and time as text',
			'20250115103000',
			'it looks like a compact date; write it as 2025-01-15T10:30:00',
		],
		[
			'compact date and time as a number',
			20250115103000,
			'it looks like a compact date; write it as 2025-01-15T10:30:00',
		],
		[
			'compact date and minutes',
			202501151030,
			'it looks like a compact date; write it as 2025-01-15T10:30',
		],
		['compact date as a number', 20250115, 'it looks like a compact date; write it as 2025-01-15'],
		['compact date as text', '20250115', 'it looks like a compact date; write it as 2025-01-15'],
		[
			'epoch microseconds',
			EPOCH_MS * 1000,
			'it looks like epoch microseconds (2025-01-15T10:30:00Z), but a number of this size is ' +
				'read as epoch milliseconds; give a Unix timestamp in seconds or milliseconds',
		],
		['a year 2611 date', '2611-09-14', 'its year 2611 is outside the supported years 1980 to 2100'],
	];

	it.each(cases)('%s: %p', (_label, input, reason) => {
		const error = catchError(() => parseDateInput(input, UTC)) as InvalidDateError;
		expect(error).toBeInstanceOf(InvalidDateError);
		expect(error.reason).toBe(reason);
		expect(error.message).toContain(reason);
	});

	it('reads the range in the workflow time zone', () => {
		expect(() => parseDateInput('1980-01-01T00:30', MADRID)).not.toThrow();
		expect(() => parseDateInput('1980-01-01T00:30', UTC)).not.toThrow();
		expect(() => parseDateInput('1979-12-31T23:30', UTC)).toThrow(InvalidDateError);
		expect(() => parseDateInput('2100-12-31T23:30', NEW_YORK)).not.toThrow();
		expect(() => parseDateInput('2101-01-01T00:30', MADRID)).toThrow(InvalidDateError);
	});

	it('still reads every plausible epoch value in the unit its size says', () => {
		expect(toNexudusDateTime(EPOCH_S, UTC)).toBe('2025-01-15T10:30:00Z');
		expect(toNexudusDateTime(EPOCH_MS, UTC)).toBe('2025-01-15T10:30:00Z');
		expect(toNexudusDateTime(String(EPOCH_S), UTC)).toBe('2025-01-15T10:30:00Z');
	});

	it('shows a valid Date that is out of range by its instant', () => {
		const error = catchError(() => parseDateInput(new Date(0), UTC)) as InvalidDateError;
		expect(error.message).toContain(
			'Cannot read "1970-01-01T00:00:00.000Z" as a date: its year 1970',
		);
	});
});

describe('long values in messages', () => {
	it('shows at most 80 characters, an ellipsis and the total length', () => {
		const long = 'x'.repeat(10000);
		const error = catchError(() => parseDateInput(long, UTC)) as InvalidDateError;
		expect(error.message).toContain(
			`Cannot read "${'x'.repeat(80)}"… (10000 characters) as a date`,
		);
		expect(error.message.length).toBeLessThan(400);
	});

	it('shortens long objects the same way', () => {
		const error = catchError(() =>
			parseDateInput({ text: 'y'.repeat(5000) }, UTC),
		) as InvalidDateError;
		expect(error.message).toContain(`{"text":"${'y'.repeat(71)}… (5011 characters)`);
	});
});

describe('invalid time zone', () => {
	const cases: Array<[unknown, string]> = [
		['Mars/Olympus_Mons', '"Mars/Olympus_Mons"'],
		['', '""'],
		['   ', '"   "'],
		['system', '"system"'],
		['local', '"local"'],
		['GMT+25', '"GMT+25"'],
		[undefined, 'undefined'],
		[42, '42'],
	];

	it.each(cases)('rejects %p', (zone, shown) => {
		const error = catchError(() => parseDateInput('2025-01-15', zone as string));
		expect(error).toBeInstanceOf(InvalidTimeZoneError);
		expect(error).toBeInstanceOf(InvalidDateError);
		const zoneError = error as InvalidTimeZoneError;
		expect(zoneError.name).toBe('InvalidTimeZoneError');
		expect(zoneError.value).toBe(zone);
		expect(zoneError.message).toBe(
			`The time zone ${shown} is not valid: it is not a known IANA time zone. ` +
				'Set a zone such as Europe/Madrid or UTC in the workflow settings.',
		);
	});

	it('checks the time zone even for values with an offset', () => {
		expect(() => toNexudusDateTime('2025-01-15T10:30:00Z', 'Nowhere/Land')).toThrow(
			InvalidTimeZoneError,
		);
	});
});

describe('dates out: every UTC date of Nexudus as ISO 8601 with Z', () => {
	it.each([
		['2026-01-12T09:00:00.1234567', '2026-01-12T09:00:00.123Z'],
		['2026-01-12T09:00:00.9999999', '2026-01-12T09:00:00.999Z'],
		['2026-01-12T09:00:00.0000000', '2026-01-12T09:00:00Z'],
		['2026-01-12T09:00:00.1230000+00:00', '2026-01-12T09:00:00.123Z'],
		['2026-01-12T09:00:00+00:00', '2026-01-12T09:00:00Z'],
		['2026-01-12T09:00:00-00:00', '2026-01-12T09:00:00Z'],
		['2026-01-12T09:00:00', '2026-01-12T09:00:00Z'],
		['2026-01-12T09:00', '2026-01-12T09:00:00Z'],
		['2026-01-12T09:00:00Z', '2026-01-12T09:00:00Z'],
		['2026-01-12T09:00:00.5Z', '2026-01-12T09:00:00.500Z'],
		// Another offset keeps its instant.
		['2026-01-12T10:00:00.1234567+01:00', '2026-01-12T09:00:00.123Z'],
		['2026-01-01T00:30:00+05:30', '2025-12-31T19:00:00Z'],
		// .NET's DateTime.MinValue, sent for an unset date: shown as it is, with Z.
		['0001-01-01T00:00:00', '0001-01-01T00:00:00Z'],
	])('%s -> %s', (text, expected) => {
		expect(nexudusDateOut(text)).toBe(expected);
	});

	it.each([
		'2026-01-12',
		'2026-13-12T09:00:00',
		'2026-02-30T09:00:00',
		'2026-01-12T25:00:00',
		'2026-01-12 09:00:00',
		'12/01/2026 09:00',
		'Starter kit 2026-01-12T09:00:00',
		'',
	])('%j is not a Nexudus date and time: undefined', (text) => {
		expect(nexudusDateOut(text)).toBeUndefined();
	});

	it('converts date fields by name, at any depth; leaves *Local fields, other fields and non-dates alone', () => {
		const record = {
			Id: 5001,
			AssignedFrom: '2026-01-12T09:00:00.1234567',
			AssignedTo: null,
			CreatedOn: '2026-01-12T09:00:00+00:00',
			UpdatedOn: '2026-01-12T09:00:00Z',
			StartDate: '2026-01-12T00:00:00.0000000',
			CancellationDate: '2026-02-01',
			FromTime: '2026-01-12T09:00:00',
			FromTimeLocal: '2026-01-12T10:00:00',
			RegistrationDateLocal: '2026-01-12T10:00:00.0000000',
			RepeatUntil: '2026-03-01T00:00:00',
			LastTrigger: '2026-01-12T09:00:00.5000000',
			NextAutoInvoice: '2026-02-01T00:00:00',
			DateOfBirth: '1990-05-01T00:00:00',
			CoworkerStartDates: ['2026-01-12T09:00:00.0000000', 'not a date'],
			ReplyTo: 'desk@example.com',
			Notes: '2026-01-12T09:00:00',
			Custom1: '2026-01-12T09:00:00',
			TimeZone: 'Romance Standard Time',
			AssignToType: 1,
			Active: true,
			Bookings: [
				{ Id: 1, FromTime: '2026-01-12T09:00:00.0000000', ToTimeLocal: '2026-01-12T11:00:00' },
			],
			Business: { Id: 1001, CreatedOn: '2025-01-01T00:00:00', Name: 'Madrid' },
		};
		const copy = structuredClone(record);
		expect(utcDatesOut(record)).toEqual({
			...record,
			AssignedFrom: '2026-01-12T09:00:00.123Z',
			CreatedOn: '2026-01-12T09:00:00Z',
			StartDate: '2026-01-12T00:00:00Z',
			FromTime: '2026-01-12T09:00:00Z',
			RepeatUntil: '2026-03-01T00:00:00Z',
			LastTrigger: '2026-01-12T09:00:00.500Z',
			NextAutoInvoice: '2026-02-01T00:00:00Z',
			DateOfBirth: '1990-05-01T00:00:00Z',
			CoworkerStartDates: ['2026-01-12T09:00:00Z', 'not a date'],
			Bookings: [{ Id: 1, FromTime: '2026-01-12T09:00:00Z', ToTimeLocal: '2026-01-12T11:00:00' }],
			Business: { Id: 1001, CreatedOn: '2025-01-01T00:00:00Z', Name: 'Madrid' },
		});
		// A copy: the record read from Nexudus (and sent back by a merge) is not changed.
		expect(record).toEqual(copy);
	});

	it('gives the same instant back to parseDateInput in any workflow time zone', () => {
		for (const text of ['2026-01-12T09:00:00.1234567', '2026-07-12T09:00:00+00:00']) {
			const out = nexudusDateOut(text)!;
			for (const zone of ['Europe/Berlin', NEW_YORK, 'Asia/Kolkata', UTC]) {
				expect(toNexudusDateTime(out, zone)).toBe(`${text.slice(0, 19)}Z`);
			}
		}
	});
});

describe("dates in: Nexudus's own form without an offset is UTC", () => {
	it('reads 2026-01-12T09:00:00.1234567 as UTC in any workflow time zone (a Get -> Update round trip keeps it)', () => {
		for (const zone of ['Europe/Berlin', MADRID, NEW_YORK, 'Asia/Tokyo', UTC]) {
			expect(toNexudusDateTime('2026-01-12T09:00:00.1234567', zone)).toBe('2026-01-12T09:00:00Z');
			expect(toNexudusDateTime('2026-07-12T09:00:00.0000000', zone)).toBe('2026-07-12T09:00:00Z');
		}
		expect(parseDateInput('2026-01-12T09:00:00.1234567', 'Europe/Berlin').toMillis()).toBe(
			Date.UTC(2026, 0, 12, 9, 0, 0, 123),
		);
	});

	it('still reads a value without an offset and without 7 digits in the workflow time zone (the date picker)', () => {
		expect(toNexudusDateTime('2026-01-12T09:00:00', 'Europe/Berlin')).toBe('2026-01-12T08:00:00Z');
		expect(toNexudusDateTime('2026-01-12T09:00:00.123', 'Europe/Berlin')).toBe(
			'2026-01-12T08:00:00Z',
		);
		expect(toNexudusDateTime('2026-01-12T09:00:00.1234567+01:00', UTC)).toBe(
			'2026-01-12T08:00:00Z',
		);
	});
});
