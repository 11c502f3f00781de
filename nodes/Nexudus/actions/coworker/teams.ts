import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { quoteForMessage } from '../../helpers/errors';
import { toNexudusId } from '../../helpers/parameters';
import { cached, runCache } from '../../helpers/runCache';
import { nexudusListAll } from '../../transport';
import type { PacingSettings } from '../../transport/pacing';
import { locatorParts } from '../locators';

/* A member's teams: given From List, By ID or By Name (looked up once per name and run). */

export const TEAMS_ENDPOINT = '/api/spaces/teams';

const folded = (value: unknown) =>
	typeof value === 'string' ? value.trim().replace(/\s+/g, ' ').toLocaleLowerCase() : '';

const teamsByRun = new WeakMap<object, Map<string, Promise<IDataObject[]>>>();

async function teamIdByName(
	ctx: IExecuteFunctions,
	name: unknown,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	const wanted = folded(name);
	const shown = quoteForMessage(String(name as string));
	if (wanted === '') {
		throw new NodeOperationError(ctx.getNode(), 'Invalid Team: the team name is empty', {
			description:
				'Nothing was sent. Write the team name as Nexudus shows it, or pick it From List.',
			itemIndex,
		});
	}
	const teams = await cached(
		runCache(teamsByRun, ctx),
		wanted,
		async () =>
			await nexudusListAll.call(ctx, {
				endpoint: TEAMS_ENDPOINT,
				qs: { Team_Name: String(name as string).trim(), orderBy: 'Id', dir: 'Ascending' },
				role: 'Team-List',
				itemIndex,
				pacing,
			}),
	);
	const matches = teams.filter((team) => folded(team.Name) === wanted);
	if (matches.length === 1) return Number(matches[0].Id);
	throw new NodeOperationError(
		ctx.getNode(),
		matches.length === 0
			? `Team: no team is named ${shown}`
			: `Team: ${matches.length} teams are named ${shown}: ${matches.map((team) => String(team.Id)).join(', ')}`,
		{
			description:
				'Nothing was sent: the node does not guess. Pick the team From List, or give it By ID.',
			itemIndex,
		},
	);
}

/** The Teams field as Ids, or undefined when not given. */
export async function teamIdsOf(
	ctx: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number[] | undefined> {
	if (raw === undefined || raw === null) return undefined;
	const entries = ((raw as IDataObject).team ?? []) as IDataObject[];
	const ids: number[] = [];
	for (const entry of Array.isArray(entries) ? entries : []) {
		const { mode, value } = locatorParts(entry.team);
		const id =
			mode === 'name'
				? await teamIdByName(ctx, value, itemIndex, pacing)
				: toNexudusId(ctx, value, 'Team', itemIndex);
		if (!ids.includes(id)) ids.push(id);
	}
	return ids;
}
