import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { invalidParameterError } from '../../helpers/errors';
import { readPacing } from '../../helpers/parameters';
import { nexudusApiRequest } from '../../transport';
import { optionsCollection } from '../common.descriptions';

import { coworkerLocatorWithCard, readCoworkerIdOrCard } from './accessCard';
import { COWORKERS_ENDPOINT, fetchCoworker, rememberCoworker, simplifyCoworker } from './coworker';
import { memberFields, readMemberFields } from './fields';

const CLEARABLE: Record<string, [string, string]> = {
	accessCardId: ['AccessCardId', 'Access Card ID'],
	keyFobNumber: ['KeyFobNumber', 'Key Fob Number'],
	accessPincode: ['AccessPincode', 'Access PIN'],
};

const properties: INodeProperties[] = [
	coworkerLocatorWithCard('The member to update; By Access Card finds the one with that card'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{ displayName: 'Full Name', name: 'fullName', type: 'string', default: '' },
			...memberFields,
		],
	},
	{
		displayName: 'Clear',
		name: 'clear',
		type: 'multiOptions',
		options: Object.entries(CLEARABLE).map(([value, [, name]]) => ({ name, value })),
		default: [],
		description:
			'Door access to remove (offboarding, a card returned); clearing what is already empty changes nothing',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworker'], operation: ['update'] } },
	properties,
);

/**
 * Fields of a read record that a PUT must never send back: flags that act on write (CreateUser
 * sends the welcome e-mail, New*Url uploads, Clear* deletes), integration secrets, and any value
 * the GET masked (sending the mask would store it).
 */
export function isNeverEchoed(name: string, value: unknown): boolean {
	if (name === 'CreateUser' || /^New.*Url$/.test(name) || /^Clear[A-Z]/.test(name)) return true;
	if (/(Token|Secret|PrivateKey|PublicKey|Password)$/i.test(name)) return true;
	return typeof value === 'string' && /^(\*{3,}|•{3,})$/.test(value.trim());
}

function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Reads the member, merges the fields set, and PUTs the whole record back (no PATCH in Nexudus). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const clear = this.getNodeParameter('clear', itemIndex, []) as unknown;
	const toClear = Array.isArray(clear) ? (clear as string[]) : [];
	const unknown = toClear.find((name) => !(name in CLEARABLE));
	if (unknown !== undefined) {
		throw invalidParameterError(
			this.getNode(),
			'Clear',
			unknown,
			`Clear takes ${Object.keys(CLEARABLE).join(', ')}. Nothing was sent for this item.`,
			itemIndex,
		);
	}
	const changes = await readMemberFields(this, fields, itemIndex, pacing);
	for (const name of toClear) {
		const [property, field] = CLEARABLE[name];
		if (changes[property] !== undefined) {
			throw invalidParameterError(
				this.getNode(),
				field,
				changes[property],
				`${field} is both set and cleared: choose one. Nothing was sent for this item.`,
				itemIndex,
			);
		}
		changes[property] = null;
	}
	const id = await readCoworkerIdOrCard(this, itemIndex, pacing);
	const record = await fetchCoworker(this, id, itemIndex, pacing);
	// A merge from a record that was not read whole would write its blanks over the member.
	if (typeof record !== 'object' || record === null || Number(record.Id) !== id) {
		throw new NodeOperationError(this.getNode(), `Coworker ${id} could not be read`, {
			description:
				'Nothing was sent: the answer to the read was not the coworker record, and an update built from it would overwrite the member. Run the item again later.',
			itemIndex,
		});
	}
	const changed = Object.keys(changes).filter((name) => !sameValue(record[name], changes[name]));
	const merged: IDataObject = {};
	for (const [name, value] of Object.entries(record)) {
		if (!isNeverEchoed(name, value)) merged[name] = value;
	}
	Object.assign(merged, changes, { Id: id });
	if (changed.length > 0) {
		await nexudusApiRequest.call(this, {
			method: 'PUT',
			endpoint: COWORKERS_ENDPOINT,
			body: merged,
			role: 'Coworker-Edit',
			subject: `coworker ${id}`,
			itemIndex,
			pacing,
		});
		if (changes.Email !== undefined) await rememberCoworker(this, merged);
	}
	const json: IDataObject = {
		...simplifyCoworker(merged),
		...Object.fromEntries(
			['AccessCardId', 'KeyFobNumber'].map((name) => [name, merged[name] ?? null]),
		),
		updated: changed.length > 0,
		changedFields: changed,
	};
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
