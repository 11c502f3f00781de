import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';

export { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['coworkerInventoryAsset'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Assign an inventory asset to a coworker at a location',
				action: 'Create a coworker inventory asset',
			},
		],
		default: 'create',
	},
	...create.description,
];
