import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidParameterError, quoteForMessage } from '../../helpers/errors';
import { nexudusInstant } from '../../helpers/simplify';
import type { PacingSettings } from '../../transport/pacing';
import { locationLocator, optionsCollection } from '../common.descriptions';
import { createOnce, lookupSchedule } from '../createOnce';
import { fetchLocation } from '../location/location';
import { readLocationId } from '../locators';

import {
	COWORKERS_ENDPOINT,
	EMAIL,
	coworkerTypeOf,
	listCoworkersByEmail,
	rememberCoworker,
} from './coworker';
import type { CoworkerType } from './fields';
import {
	COWORKER_TYPES,
	COWORKER_TYPE_VALUE,
	coworkerTypeField,
	memberFields,
	readMemberFields,
} from './fields';

/* A new member from what HR knows (name, e-mail, home location), created once. */

/** The parameters of Create and Find or Create. */
export const newMemberProperties: INodeProperties[] = [
	{
		displayName: 'Full Name',
		name: 'fullName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Lucía Fernández',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: "The member's e-mail; spaces around it and its case do not matter",
	},
	{
		...locationLocator,
		displayName: 'Home Location',
		description:
			"The member's home location (Nexudus's InvoicingBusinessId); its country and time zone are the member's unless set",
	},
	coworkerTypeField,
	{
		displayName: 'Create Portal User',
		name: 'createUser',
		type: 'boolean',
		default: false,
		description:
			'Whether to give the member portal and app access, which makes Nexudus send them its welcome e-mail with the access details (leave it off until they should get it)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: memberFields,
	},
	optionsCollection(),
];

export interface NewMember {
	body: IDataObject;
	email: string;
	type: CoworkerType;
	locationId: number;
}

/** Nexudus's reference marks these required: their neutral values (NotSet, Default, Undefined). */
const NEUTRAL_ENUMS: IDataObject = {
	Gender: 1,
	TaxRateType: 1,
	...Object.fromEntries(
		['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((day) => [
			`${day}Attendance`,
			5,
		]),
	),
};

/** Reads and checks a new member; looks up the home location's country and time zone. */
export async function readNewMember(
	ctx: IExecuteFunctions,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<NewMember> {
	const fullName = String((ctx.getNodeParameter('fullName', itemIndex, '') as string) ?? '').trim();
	if (fullName === '') {
		throw invalidParameterError(
			ctx.getNode(),
			'Full Name',
			fullName,
			"Full Name is required: the member's name as HR has it. Nothing was sent for this item.",
			itemIndex,
		);
	}
	const rawEmail = ctx.getNodeParameter('email', itemIndex, '') as unknown;
	const email = typeof rawEmail === 'string' ? rawEmail.trim() : '';
	if (!EMAIL.test(email)) {
		throw invalidParameterError(
			ctx.getNode(),
			'Email',
			rawEmail,
			'Email must be an e-mail address such as jane@example.com. Nothing was sent for this item.',
			itemIndex,
		);
	}
	const type = ctx.getNodeParameter('coworkerType', itemIndex, 'Individual') as CoworkerType;
	if (!COWORKER_TYPES.includes(type)) {
		throw invalidParameterError(
			ctx.getNode(),
			'Coworker Type',
			type,
			'Coworker Type must be Individual or Company. Nothing was sent for this item.',
			itemIndex,
		);
	}
	const createUser = ctx.getNodeParameter('createUser', itemIndex, false) as unknown;
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const fields = await readMemberFields(ctx, extra, itemIndex, pacing);
	const locationId = await readLocationId(ctx, 'location', 'Home Location', itemIndex, pacing);
	const needsLocation = fields.CountryId === undefined || fields.SimpleTimeZoneId === undefined;
	const location = needsLocation ? await fetchLocation(ctx, locationId, itemIndex, pacing) : {};
	const body: IDataObject = {
		FullName: fullName,
		Email: email,
		CoworkerType: COWORKER_TYPE_VALUE[type],
		InvoicingBusinessId: locationId,
		Businesses: [locationId],
		CountryId: location.CountryId ?? null,
		SimpleTimeZoneId: location.SimpleTimeZoneId ?? null,
		...NEUTRAL_ENUMS,
		...fields,
		CreateUser: createUser === true,
	};
	for (const [property, field] of [
		['CountryId', 'Country ID'],
		['SimpleTimeZoneId', 'Time Zone ID'],
	]) {
		if (body[property] === null) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The home location ${locationId} has no ${field}`,
				{
					description: `Nothing was sent. Set ${field} in Additional Fields, or set it on the location in Nexudus.`,
					itemIndex,
				},
			);
		}
	}
	return { body, email, type, locationId };
}

/** Members of this e-mail and type, fresh from Nexudus. */
async function membersOfType(
	ctx: IExecuteFunctions,
	member: NewMember,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const records = await listCoworkersByEmail(ctx, member.email, itemIndex, pacing);
	return records.filter((record) => coworkerTypeOf(record) === member.type);
}

/**
 * Creates the member once: after a lost answer, a member of this e-mail and type that was not
 * there before (`knownIds`) and was created since is this create's.
 */
export async function createMember(
	ctx: IExecuteFunctions,
	member: NewMember,
	knownIds: number[],
	itemIndex: number,
	pacing: PacingSettings,
): Promise<{ record: IDataObject; recovered: boolean }> {
	const { id, recovered, response } = await createOnce.call(ctx, {
		request: {
			method: 'POST',
			endpoint: COWORKERS_ENDPOINT,
			body: member.body,
			role: 'Coworker-Create',
			itemIndex,
			pacing,
		},
		lookup: async (sentAt) => {
			const found = await membersOfType(ctx, member, itemIndex, pacing);
			return found
				.filter((record) => !knownIds.includes(Number(record.Id)))
				.filter((record) => (nexudusInstant(record.CreatedOn) ?? sentAt) >= sentAt - 120_000)
				.sort((a, b) => Number(b.Id) - Number(a.Id))[0];
		},
		schedule: lookupSchedule(pacing),
		what: `the coworker ${quoteForMessage(member.email)}`,
		checkIn: 'the coworkers with this e-mail',
	});
	const found = recovered ? ((response.Value ?? {}) as IDataObject) : {};
	const record: IDataObject = {
		...found,
		Id: id,
		FullName: member.body.FullName,
		Email: member.body.Email,
		CoworkerType: member.type,
		InvoicingBusinessId: member.locationId,
	};
	await rememberCoworker(ctx, record);
	return { record, recovered };
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Runs `task` alone among the tasks of this process for the same e-mail and type: two items or
 * two executions that find-or-create one member take turns, so the second finds the first's.
 */
export async function alonePerMember<T>(member: NewMember, task: () => Promise<T>): Promise<T> {
	const key = `${member.email.toLowerCase()}|${member.type}`;
	const before = locks.get(key) ?? Promise.resolve();
	const run = before.then(task, task);
	const settled = run.then(
		() => undefined,
		() => undefined,
	);
	locks.set(key, settled);
	try {
		return await run;
	} finally {
		if (locks.get(key) === settled) locks.delete(key);
	}
}

export { membersOfType };
