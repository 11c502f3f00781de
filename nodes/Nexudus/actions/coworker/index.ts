import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as findOrCreate from './findOrCreate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, findOrCreate, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['coworker'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a member from a name, an e-mail and a home location',
				action: 'Create a coworker',
			},
			{
				name: 'Find or Create',
				value: 'findOrCreate',
				description: 'Output the member with this e-mail and type, or create it when there is none',
				action: 'Find or create a coworker',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one coworker by ID, email or access card',
				action: 'Get a coworker',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List or search coworkers by email, name, location or active state',
				action: 'Get many coworkers',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change a member, set or clear door access (card, fob, PIN)',
				action: 'Update a coworker',
			},
		],
		default: 'get',
	},
	...create.description,
	...findOrCreate.description,
	...get.description,
	...getAll.description,
	...update.description,
];
