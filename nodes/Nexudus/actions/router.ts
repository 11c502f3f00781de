import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as coworkerInventoryAsset from './coworkerInventoryAsset';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, { execute: Operation }>> = {
	coworkerInventoryAsset: { create: coworkerInventoryAsset.create },
};

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Runs the chosen operation item by item. A failed item becomes an error item (routed by n8n to
 * the error output when the node is set to continue using it) or stops the node, naming the item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation]?.execute;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			returnData.push(...(await run.call(this, itemIndex)));
		} catch (caught) {
			const error = asNodeError(this, caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			// Exactly {error, message}: the shape n8n 1.x and 2.x both route to the error output and
			// merge the input item into. Setting item.error instead would make n8n drop `message`.
			const json: IDataObject = { error: error.message };
			if (error.description) json.message = error.description;
			returnData.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [returnData];
}
