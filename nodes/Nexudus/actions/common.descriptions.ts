import type { INodeProperties } from 'n8n-workflow';

const ID_VALIDATION = [
	{
		type: 'regex' as const,
		properties: {
			regex: '^[1-9][0-9]*$',
			errorMessage: 'A Nexudus Id is a positive whole number, such as 1234',
		},
	},
];

function recordLocator(
	displayName: string,
	name: string,
	searchListMethod: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${displayName.toLowerCase()}...`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1234',
				validation: ID_VALIDATION,
			},
		],
	};
}

export const coworkerLocator = recordLocator(
	'Coworker',
	'coworker',
	'searchCoworkers',
	'The member (Nexudus coworker) the asset is assigned to. By ID takes the numeric coworker Id.',
);

export const locationLocator = recordLocator(
	'Location',
	'location',
	'searchLocations',
	'The Nexudus location (business) where the asset is assigned. By ID takes the numeric BusinessId.',
);

export const inventoryAssetLocator = recordLocator(
	'Inventory Asset',
	'inventoryAsset',
	'searchInventoryAssets',
	'The asset (desk, chair, monitor, locker...) to assign. The list shows the assets of the chosen location. By ID takes the numeric inventory asset Id.',
);

export const assignmentLocator = recordLocator(
	'Coworker Inventory Asset',
	'coworkerInventoryAsset',
	'searchCoworkerInventoryAssets',
	'The assignment (a coworker inventory asset record). By ID takes its numeric Id, as output by Create or Get Many.',
);

/** Rate-limit settings shared by every operation's Options. */
export const pacingOptions: INodeProperties[] = [
	{
		displayName: 'Minimum Interval Between Requests (Ms)',
		name: 'minIntervalMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 100,
		description:
			'Nexudus allows one request every 100 ms per account. Lower it only if your account has other limits.',
	},
	{
		displayName: 'Writes per Minute',
		name: 'writesPerMinute',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			'Nexudus allows 60 creates, updates and deletes a minute per account; the node spaces writes to stay under it. 0 turns this pacing off.',
	},
	{
		displayName: 'Write Limit Window (Seconds)',
		name: 'writeWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 60,
		description:
			'The period Writes per Minute counts over. Nexudus counts writes per 60 seconds; change it only if your account has other limits.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 60,
		description:
			'How long to wait for each Nexudus answer. A read that times out is retried; a create that times out is first looked up, so it is never made twice.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description:
			'How many throttled answers (409 "You must wait") in a row a request takes, each after the wait Nexudus asks for, while no other request on the account gets through',
	},
];

/** Every operation's Options collection: its own options first, then the request pacing. */
export function optionsCollection(...own: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...own, ...pacingOptions],
	};
}
