import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { utcDatesOut } from '../helpers/dates';
import * as coworker from './coworker';
import * as coworkerInventoryAsset from './coworkerInventoryAsset';
import * as inventoryAsset from './inventoryAsset';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, { execute: Operation }>> = {
	coworkerInventoryAsset: {
		create: coworkerInventoryAsset.create,
		get: coworkerInventoryAsset.get,
		getAll: coworkerInventoryAsset.getAll,
		update: coworkerInventoryAsset.update,
		endAssignment: coworkerInventoryAsset.endAssignment,
		delete: coworkerInventoryAsset.deleteOperation,
	},
	coworker: {
		create: coworker.create,
		findOrCreate: coworker.findOrCreate,
		get: coworker.get,
		getAll: coworker.getAll,
		update: coworker.update,
	},
	inventoryAsset: {
		create: inventoryAsset.create,
		get: inventoryAsset.get,
		getAll: inventoryAsset.getAll,
		update: inventoryAsset.update,
		delete: inventoryAsset.deleteOperation,
	},
};

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Items in flight at once when the user turned pacing off (an account without limits). */
const CONCURRENCY_WITHOUT_PACING = 8;

function concurrency(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return options.minIntervalMs === 0 && options.writesPerMinute === 0
		? CONCURRENCY_WITHOUT_PACING
		: 1;
}

/**
 * Runs the chosen operation for each item: one at a time (the pacing sets the speed), or a few
 * at once when pacing is off. Output keeps the input order. A failed item becomes an error item
 * (routed by n8n to the error output when the node continues using it) or stops the node at the
 * first failing item, naming it.
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

	const results: INodeExecutionData[][] = [];
	let next = 0;
	// The first failing item, when not continuing: later items in flight may still finish.
	const stop: { itemIndex?: number; error?: NodeApiError | NodeOperationError } = {};
	const worker = async (limit = items.length) => {
		while (next < limit && stop.error === undefined) {
			const itemIndex = next++;
			try {
				const out = await run.call(this, itemIndex);
				results[itemIndex] = out.map((item) => ({ ...item, json: utcDatesOut(item.json) }));
			} catch (caught) {
				const error = asNodeError(this, caught, itemIndex);
				if (!this.continueOnFail()) {
					if (stop.itemIndex === undefined || itemIndex < stop.itemIndex) {
						stop.itemIndex = itemIndex;
						stop.error = error;
					}
					return;
				}
				// Exactly {error, message}: the shape n8n 1.x and 2.x both route to the error output
				// and merge the input item into. Setting item.error would make n8n drop `message`.
				const json: IDataObject = { error: error.message };
				if (error.description) json.message = error.description;
				results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
			}
		}
	};
	// The first item goes alone: it logs in when needed, so the others share that token instead
	// of each logging in (a new login voids the previous token of the same client ID).
	await worker(1);
	const workers = Math.min(concurrency(this), items.length);
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	if (stop.error) throw stop.error;
	return [results.flat()];
}
