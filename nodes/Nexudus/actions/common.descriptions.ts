import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

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
	listPlaceholder: string,
	idPlaceholder: string,
	...lookupModes: INodePropertyMode[]
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
				placeholder: listPlaceholder,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: idPlaceholder,
				validation: ID_VALIDATION,
			},
			...lookupModes,
		],
	};
}

/** By Email: what an HR system knows of a member; looked up once per distinct email and run. */
export const byEmail: { modes: INodePropertyMode[] } = {
	modes: [
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. jane@example.com',
			hint: 'The coworker with exactly this email (case aside); none or several fail the item with the matching Ids',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[^@\\s]+@[^@\\s]+$',
						errorMessage: 'An email address, such as jane@example.com',
					},
				},
			],
		},
	],
};

/** By Name: a location's name as Nexudus shows it; the few locations are listed once per run. */
export const byName: { modes: INodePropertyMode[] } = {
	modes: [
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Madrid - Gran Vía',
			hint: 'The location with exactly this name (case aside); none or several fail the item with the candidates',
		},
	],
};

export const coworkerLocator = recordLocator(
	'Coworker',
	'coworker',
	'searchCoworkers',
	'The member (Nexudus coworker) who gets the asset',
	'Select a coworker...',
	'e.g. 2001',
	...byEmail.modes,
);

export const locationLocator = recordLocator(
	'Location',
	'location',
	'searchLocations',
	'The Nexudus location (business) the assignment belongs to',
	'Select a location...',
	'e.g. 1001',
	...byName.modes,
);

export const inventoryAssetLocator = recordLocator(
	'Inventory Asset',
	'inventoryAsset',
	'searchInventoryAssets',
	'The desk, chair, monitor, locker or other inventory asset; the list shows the assets of the chosen location',
	'Select an inventory asset...',
	'e.g. 3001',
);

/** The assignment record (Nexudus calls it a coworker inventory asset). */
export const assignmentLocator = recordLocator(
	'Assignment',
	'coworkerInventoryAsset',
	'searchCoworkerInventoryAssets',
	'The assignment (Nexudus coworker inventory asset) to use; By ID takes the Id that Create or Get Many output',
	'Select an assignment...',
	'e.g. 5001',
);

/** Return All, or Limit (default 50), as every n8n Get Many offers them. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/**
 * Rate-limit settings shared by every operation's Options. They come last in the Add Option list
 * (after the operation's own options) and keep flat names, so saved workflows keep their values.
 */
export const pacingOptions: INodeProperties[] = [
	{
		// The unit is in the description: n8n's linter title-cases "(ms)" into "(Ms)".
		displayName: 'Request Interval',
		name: 'minIntervalMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 100,
		description:
			'Minimum milliseconds between two requests (Nexudus allows one request every 100 ms per account)',
	},
	{
		displayName: 'Writes per Minute',
		name: 'writesPerMinute',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			'Creates, updates and deletes allowed per write window (Nexudus allows 60 a minute per account), or 0 to turn this pacing off',
	},
	{
		displayName: 'Write Window (Seconds)',
		name: 'writeWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 60,
		description: 'The period Writes per Minute counts over; Nexudus counts writes per 60 seconds',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 60,
		description:
			'How long to wait for each Nexudus answer; a create that times out is looked up before it is sent again, so it is never made twice',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description:
			'How many throttled answers (409 "You must wait", or 429) in a row a request takes, each after the wait Nexudus asks for',
	},
	{
		// The unit is in the description: the label would be over 24 characters with it.
		displayName: 'Max Time per Request',
		name: 'maxRequestSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description:
			'Seconds one request may take at most, every wait included (its turn, Retry-After, throttling, retries); past it the item fails',
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
