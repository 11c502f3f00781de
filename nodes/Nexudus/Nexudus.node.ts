import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as coworker from './actions/coworker';
import * as coworkerInventoryAsset from './actions/coworkerInventoryAsset';
import * as inventoryAsset from './actions/inventoryAsset';
import { router } from './actions/router';
import {
	searchCoworkerInventoryAssets,
	searchCoworkers,
	searchInventoryAssets,
	searchLocations,
	searchTeams,
} from './methods/listSearch';

export class Nexudus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexudus',
		name: 'nexudus',
		icon: { light: 'file:../../icons/nexudus.svg', dark: 'file:../../icons/nexudus.dark.svg' },
		group: ['transform'],
		// 1.1: If Already Assigned is a Create parameter (default Skip); version 1 nodes also keep
		// the old choice under Options.
		version: [1, 1.1],
		defaultVersion: 1.1,
		// "Create: Assignment", "Get Many: Coworkers": the names the panel shows, not internal values.
		subtitle:
			'={{ ($parameter["operation"] === "getAll" ? "Get Many" : $parameter["operation"] === "endAssignment" ? "End" : $parameter["operation"].charAt(0).toUpperCase() + $parameter["operation"].slice(1)) + ": " + ($parameter["resource"] === "coworker" ? "Coworker" : $parameter["resource"] === "inventoryAsset" ? "Inventory Asset" : "Assignment") + ($parameter["operation"] === "getAll" ? "s" : "") }}',
		description:
			'Assign inventory assets to coworkers in Nexudus Spaces, and find both by email, name or SKU',
		defaults: { name: 'Nexudus' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexudusOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Asset Assignment',
						value: 'coworkerInventoryAsset',
						description:
							'Coworker inventory asset: an inventory asset (desk, chair, locker...) assigned to a coworker',
					},
					{
						name: 'Coworker',
						value: 'coworker',
						description: 'A member of a Nexudus location; find one by email',
					},
					{
						name: 'Inventory Asset',
						value: 'inventoryAsset',
						description:
							'A desk, chair, monitor, locker or other asset of a location; find the free ones',
					},
				],
				default: 'coworkerInventoryAsset',
			},
			...coworkerInventoryAsset.description,
			...coworker.description,
			...inventoryAsset.description,
		],
	};

	methods = {
		listSearch: {
			searchCoworkers,
			searchLocations,
			searchInventoryAssets,
			searchCoworkerInventoryAssets,
			searchTeams,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
