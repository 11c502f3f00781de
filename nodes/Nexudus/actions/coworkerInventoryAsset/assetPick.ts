import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cached, runCache } from '../../helpers/runCache';
import type { PacingSettings } from '../../transport/pacing';
import { listInventoryAssetsOfLocation, matchesPattern } from '../inventoryAsset/inventoryAsset';

import type { NewAssignment } from './shared';
import { listAssignmentsOfLocation, overlaps } from './shared';

/*
 * Create with an asset given By Kind ("monitor"): the location's assets and assignments
 * are read once per run, and each item takes the free matching asset with the lowest Id that no
 * earlier item of the run took.
 */

/** What a run knows of one location's stock. */
export interface Stock {
	/** The location's assets, lowest Id first. */
	assets: IDataObject[];
	/** Its assignments as listed at the run's start, plus the ones this run made or found. */
	assignments: IDataObject[];
	/** Assets given to items of this run (never two items the same asset, even after a failure). */
	claimed: Set<number>;
	/** Items of a location pick one after another, also when pacing is off. */
	queue: Promise<unknown>;
}

const stockByRun = new WeakMap<object, Map<number, Promise<Stock>>>();

/** Two list requests per location and run (more only past 1000 assets or assignments). */
async function loadStock(
	ctx: IExecuteFunctions,
	businessId: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<Stock> {
	const assets = await listInventoryAssetsOfLocation(ctx, businessId, itemIndex, pacing);
	const assignments = await listAssignmentsOfLocation.call(ctx, businessId, itemIndex, pacing);
	return { assets, assignments, claimed: new Set(), queue: Promise.resolve() };
}

/** Runs `work` with the location's stock, one item of that location at a time. */
export async function withStock<T>(
	ctx: IExecuteFunctions,
	businessId: number,
	itemIndex: number,
	pacing: PacingSettings,
	work: (stock: Stock) => Promise<T>,
): Promise<T> {
	const stock = await cached(
		runCache(stockByRun, ctx),
		businessId,
		async () => await loadStock(ctx, businessId, itemIndex, pacing),
	);
	const turn = stock.queue.then(async () => await work(stock));
	stock.queue = turn.catch(() => undefined);
	return await turn;
}

/** The location's assets whose name or SKU contains the pattern, lowest Id first. */
export function matchingAssets(stock: Stock, pattern: string): IDataObject[] {
	return stock.assets.filter((asset) => matchesPattern(asset, pattern));
}

/**
 * The coworker's assignment of a matching asset that overlaps the new one (the member already
 * has "a monitor" here), latest first; undefined when there is none.
 */
export function heldByCoworker(
	stock: Stock,
	matching: IDataObject[],
	assignment: NewAssignment,
): IDataObject | undefined {
	const ids = new Set(matching.map((asset) => Number(asset.Id)));
	return stock.assignments
		.filter(
			(record) =>
				Number(record.CoworkerId) === assignment.CoworkerId &&
				ids.has(Number(record.InventoryAssetId)) &&
				overlaps(record, assignment),
		)
		.sort((a, b) => Number(b.Id) - Number(a.Id))[0];
}

/** The first matching asset that is free for the new assignment and not taken by this run. */
export function firstFree(
	stock: Stock,
	matching: IDataObject[],
	assignment: NewAssignment,
): IDataObject | undefined {
	const held = new Set(
		stock.assignments
			.filter((record) => overlaps(record, assignment))
			.map((record) => Number(record.InventoryAssetId)),
	);
	return matching.find(
		(asset) => !held.has(Number(asset.Id)) && !stock.claimed.has(Number(asset.Id)),
	);
}
