import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { quoteForMessage } from '../../helpers/errors';
import { nexudusInstant } from '../../helpers/simplify';
import type { PacingSettings } from '../../transport/pacing';
import { assetLabel } from '../inventoryAsset/inventoryAsset';
import { locationName } from '../location/location';

import { firstFree, heldByCoworker, matchingAssets, withStock } from './assetPick';
import { createExactlyOnce, createdItem, skippedItem } from './createOutput';
import type { NewAssignment } from './shared';
import { findOverlapping } from './shared';

/**
 * After a By Kind create: another member's assignment of the picked asset that overlaps ours and
 * was created before ours or at the same time (a later one's own run reports it), as a sentence.
 */
async function raceClash(
	ctx: IExecuteFunctions,
	candidate: NewAssignment,
	createdId: unknown,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<string | undefined> {
	const overlapping = await findOverlapping.call(ctx, candidate, itemIndex, pacing);
	const ownId = Number(createdId);
	const own = overlapping.find((record) => Number(record.Id) === ownId);
	const ownCreated = nexudusInstant(own?.CreatedOn);
	const other = overlapping.find((record) => {
		if (Number(record.Id) === ownId || Number(record.CoworkerId) === candidate.CoworkerId)
			return false;
		const created = nexudusInstant(record.CreatedOn);
		return (
			!Number.isFinite(ownId) ||
			Number(record.Id) < ownId ||
			(created !== undefined && ownCreated !== undefined && created <= ownCreated)
		);
	});
	if (!other) return undefined;
	const until =
		typeof other.AssignedTo === 'string' && other.AssignedTo !== ''
			? ` until ${other.AssignedTo}`
			: ' with no end';
	return `Inventory asset ${candidate.InventoryAssetId} is also held by coworker ${String(other.CoworkerId)} (assignment ${String(other.Id)}, from ${String(other.AssignedFrom)}${until}): another execution picked the same asset at the same time.`;
}

/**
 * By Kind: the member's matching assignment (skipped, or an error), else the free
 * matching asset with the lowest Id, created. Items of one location take turns, so no two get
 * the same asset.
 */
export async function createFromPattern(
	ctx: IExecuteFunctions,
	assignment: NewAssignment,
	pattern: string,
	ifAssigned: string,
	options: IDataObject,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<INodeExecutionData[]> {
	return await withStock(ctx, assignment.BusinessId, itemIndex, pacing, async (stock) => {
		const matching = matchingAssets(stock, pattern);
		const shown = quoteForMessage(pattern);
		const holding = async (held: IDataObject) => {
			const asset = matching.find(
				(candidate) => Number(candidate.Id) === Number(held.InventoryAssetId),
			) ?? {
				Id: held.InventoryAssetId,
				Name: held.InventoryAssetName,
				Sku: held.InventoryAssetSku,
			};
			const site = await locationName(ctx, assignment.BusinessId, itemIndex, pacing);
			const until =
				typeof held.AssignedTo === 'string' && held.AssignedTo !== ''
					? ` until ${held.AssignedTo}`
					: ' with no end';
			const reason = `Coworker ${assignment.CoworkerId} already holds ${assetLabel(asset)}, which matches ${shown}, at ${site} by assignment ${String(held.Id)}, from ${String(held.AssignedFrom)}${until}`;
			if (ifAssigned === 'error') {
				throw new NodeOperationError(ctx.getNode(), reason, {
					description:
						'Nothing was created. End that assignment first (operation End Assignment), or set If Already Assigned to Skip, or to Create Anyway to give the member another one.',
					itemIndex,
				});
			}
			return skippedItem(
				ctx,
				{ ...held, InventoryAssetName: asset.Name, InventoryAssetSku: asset.Sku },
				reason,
				itemIndex,
			);
		};
		if (ifAssigned !== 'createAnyway') {
			const held = heldByCoworker(stock, matching, assignment);
			if (held) return await holding(held);
		}
		for (;;) {
			const asset = firstFree(stock, matching, assignment);
			if (!asset) {
				const site = await locationName(ctx, assignment.BusinessId, itemIndex, pacing);
				const taken = matching.map((candidate) => String(candidate.Id));
				throw new NodeOperationError(
					ctx.getNode(),
					`No free inventory asset matches ${shown} at ${site}`,
					{
						description:
							matching.length === 0
								? `Nothing was sent. No asset of ${site} has ${shown} in its name or SKU: check the text, or the location.`
								: `Nothing was sent. ${matching.length} assets match (${taken.slice(0, 10).join(', ')}${taken.length > 10 ? ', ...' : ''}), all assigned from ${assignment.AssignedFrom} or taken by earlier items of this run. End an assignment, add assets in Nexudus, or widen the text.`,
						itemIndex,
					},
				);
			}
			const assetId = Number(asset.Id);
			stock.claimed.add(assetId);
			const candidate: NewAssignment = { ...assignment, InventoryAssetId: assetId };
			if (ifAssigned !== 'createAnyway') {
				// The run's list may be stale: another execution may have taken the asset since.
				const fresh = await findOverlapping.call(ctx, candidate, itemIndex, pacing);
				if (fresh.length > 0) {
					stock.assignments.push(...fresh);
					const own = fresh.find((record) => Number(record.CoworkerId) === assignment.CoworkerId);
					if (own) return await holding(own);
					continue;
				}
			}
			const response = await createExactlyOnce.call(ctx, candidate, itemIndex, pacing);
			const value = (response.Value ?? {}) as IDataObject;
			stock.assignments.push({
				...candidate,
				Id: value.Id,
				AssignedTo: candidate.AssignedTo ?? null,
				InventoryAssetName: asset.Name,
				InventoryAssetSku: asset.Sku,
			});
			const created = createdItem(ctx, candidate, response, options, itemIndex, asset);
			// Two executions may both pass the fresh check before either create lands: one more look.
			const clash = await raceClash(ctx, candidate, value.Id, itemIndex, pacing);
			if (clash)
				created[0].json.warning = `${clash} Nothing was deleted: end one of them in Nexudus.`;
			return created;
		}
	});
}
