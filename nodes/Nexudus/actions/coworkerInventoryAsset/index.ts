import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';
import * as endAssignment from './endAssignment.operation';
import * as deleteOperation from './delete.operation';

export { create, get, getAll, update, endAssignment, deleteOperation };

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
				description: 'Create a coworker inventory asset: assign an inventory asset to a coworker',
				action: 'Create an asset assignment',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an assignment for good, with its history',
				action: 'Delete an asset assignment',
			},
			{
				name: 'End Assignment',
				value: 'endAssignment',
				description:
					'Set the end date of one assignment, or of every open assignment of a coworker',
				action: 'End asset assignments',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one assignment',
				action: 'Get an asset assignment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List assignments, filtered by coworker, location, asset, dates or open ones',
				action: 'Get many asset assignments',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the dates, notes, coworker, location or asset of an assignment',
				action: 'Update an asset assignment',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...endAssignment.description,
	...deleteOperation.description,
];
