import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameterError } from '../../helpers/errors';
import { toNexudusDate, toNexudusId } from '../../helpers/parameters';
import type { PacingSettings } from '../../transport/pacing';

import { teamIdsOf } from './teams';

/*
 * The member fields that Create, Find or Create and Update share, and how they become the
 * fields of a Nexudus coworker record.
 */

export const COWORKER_TYPES = ['Individual', 'Company'] as const;
export type CoworkerType = (typeof COWORKER_TYPES)[number];
/** eCoworkerType. */
export const COWORKER_TYPE_VALUE: Record<CoworkerType, number> = { Individual: 1, Company: 2 };

export const coworkerTypeField: INodeProperties = {
	displayName: 'Coworker Type',
	name: 'coworkerType',
	type: 'options',
	options: [
		{ name: 'Individual', value: 'Individual' },
		{ name: 'Company', value: 'Company' },
	],
	default: 'Individual',
	description:
		'An Individual member, or a Company profile (which may share its e-mail with an Individual)',
};

const teamsField: INodeProperties = {
	displayName: 'Teams',
	name: 'teams',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Team',
	default: {},
	description: 'The teams the member belongs to (Update: replaces the current teams)',
	options: [
		{
			displayName: 'Team',
			name: 'team',
			values: [
				{
					displayName: 'Team',
					name: 'team',
					type: 'resourceLocator',
					default: { mode: 'list', value: '' },
					modes: [
						{
							displayName: 'From List',
							name: 'list',
							type: 'list',
							typeOptions: { searchListMethod: 'searchTeams', searchable: true },
						},
						{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 7001' },
						{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. Acme' },
					],
				},
			],
		},
	],
};

/** Fields a new member and an update both take. */
export const memberFields: INodeProperties[] = [
	{ displayName: 'Access Card ID', name: 'accessCardId', type: 'string', default: '' },
	{
		displayName: 'Access PIN',
		name: 'accessPincode',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: "The member's door PIN",
	},
	{
		displayName: 'Billing Day',
		name: 'billingDay',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 31 },
		default: 1,
		description: 'Day of the month the plan is invoiced (with Tariff ID)',
	},
	{ displayName: 'Company Name', name: 'companyName', type: 'string', default: '' },
	{
		displayName: 'Country ID',
		name: 'countryId',
		type: 'number',
		default: 0,
		description: "Nexudus's country ID; by default the home location's own",
	},
	{ displayName: 'Key Fob Number', name: 'keyFobNumber', type: 'string', default: '' },
	{ displayName: 'Mobile Phone', name: 'mobilePhone', type: 'string', default: '' },
	{ displayName: 'Position', name: 'position', type: 'string', default: '' },
	{
		displayName: 'Renewal Date',
		name: 'renewalDate',
		type: 'dateTime',
		default: '',
		description: 'When the plan starts and is first invoiced (with Tariff ID)',
	},
	{
		displayName: 'Tariff ID',
		name: 'tariffId',
		type: 'number',
		default: 0,
		description: 'The plan (tariff) to give the member',
	},
	teamsField,
	{
		displayName: 'Time Zone ID',
		name: 'simpleTimeZoneId',
		type: 'number',
		default: 0,
		description: "Nexudus's time zone ID; by default the home location's own",
	},
];

const TEXT_FIELDS: Record<string, string> = {
	accessCardId: 'AccessCardId',
	accessPincode: 'AccessPincode',
	companyName: 'CompanyName',
	keyFobNumber: 'KeyFobNumber',
	mobilePhone: 'MobilePhone',
	position: 'Position',
	fullName: 'FullName',
	email: 'Email',
};
const ID_FIELDS: Record<string, [string, string]> = {
	countryId: ['CountryId', 'Country ID'],
	simpleTimeZoneId: ['SimpleTimeZoneId', 'Time Zone ID'],
	tariffId: ['TariffId', 'Tariff ID'],
};

/**
 * The record fields that a collection of member fields sets. A text field whose expression gives
 * nothing is left out (never sent as empty: clearing is the Clear option's job).
 */
export async function readMemberFields(
	ctx: IExecuteFunctions,
	fields: IDataObject,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	const body: IDataObject = {};
	for (const [name, property] of Object.entries(TEXT_FIELDS)) {
		const value = fields[name];
		if (value === undefined || value === null) continue;
		if (typeof value === 'object') {
			throw invalidParameterError(
				ctx.getNode(),
				property,
				value,
				`${property} must be text. Nothing was sent for this item.`,
				itemIndex,
			);
		}
		const text = String(value as string).trim();
		if (text !== '') body[property] = text;
	}
	for (const [name, [property, field]] of Object.entries(ID_FIELDS)) {
		const value = fields[name];
		if (value === undefined || value === null || value === '' || value === 0) continue;
		body[property] = toNexudusId(ctx, value, field, itemIndex, { fromList: false });
	}
	if (body.TariffId !== undefined) {
		if (fields.billingDay !== undefined && fields.billingDay !== '') {
			const day = Number(fields.billingDay);
			if (!Number.isInteger(day) || day < 1 || day > 31) {
				throw invalidParameterError(
					ctx.getNode(),
					'Billing Day',
					fields.billingDay,
					'Billing Day must be a day of the month, 1 to 31. Nothing was sent for this item.',
					itemIndex,
				);
			}
			body.BillingDay = day;
		}
		const renewal = toNexudusDate(
			ctx,
			fields.renewalDate,
			'Renewal Date',
			itemIndex,
			ctx.getTimezone(),
		);
		if (renewal !== undefined) body.RenewalDate = renewal;
	} else if (fields.billingDay !== undefined || (fields.renewalDate ?? '') !== '') {
		throw invalidParameterError(
			ctx.getNode(),
			fields.billingDay !== undefined ? 'Billing Day' : 'Renewal Date',
			fields.billingDay ?? fields.renewalDate,
			'Billing Day and Renewal Date belong to a plan: add Tariff ID too. Nothing was sent for this item.',
			itemIndex,
		);
	}
	const teams = await teamIdsOf(ctx, fields.teams, itemIndex, pacing);
	if (teams !== undefined) body.Teams = teams;
	return body;
}
