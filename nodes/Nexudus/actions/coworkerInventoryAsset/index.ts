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
				description: 'Assign an inventory asset to a coworker at a location',
				action: 'Create a coworker inventory asset',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an assignment',
				action: 'Delete a coworker inventory asset',
			},
			{
				name: 'End Assignment',
				value: 'endAssignment',
				description: 'Set Assigned To on one assignment, or on every open assignment of a coworker (offboarding)',
				action: 'End a coworker inventory asset assignment',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one assignment by its ID',
				action: 'Get a coworker inventory asset',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List assignments, filtered by coworker, location, asset, open or dates',
				action: 'Get many coworker inventory assets',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change an assignment (dates, notes, coworker, location or asset)',
				action: 'Update a coworker inventory asset',
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
