import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['coworker'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one coworker by ID or by email',
				action: 'Get a coworker',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List or search coworkers by email, name, location or active state',
				action: 'Get many coworkers',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
];
