import type { EmulatorDb } from './store.cjs';

export type SeedName = 'demo' | 'minimal' | 'empty';

/** Stable ids of the demo seed, for tests and demos to refer to. */
export const DEMO = {
	businesses: { madrid: 1001, newYork: 1002 },
	coworkers: {
		luciaFernandez: 2001,
		javierMoreno: 2002,
		carmenRuiz: 2003,
		pabloNavarro: 2004,
		martaGil: 2005,
		diegoSerrano: 2006,
		elenaCastro: 2007,
		sergioOrtega: 2008,
		lauraDelgado: 2009,
		andresRomero: 2010,
		emilyCarter: 2011,
		jamesWhitaker: 2012,
		oliviaBennett: 2013,
		michaelChen: 2014,
		sophiaMartinez: 2015,
		danielBrooks: 2016,
		avaThompson: 2017,
		ethanPatel: 2018,
		gracePark: 2019,
		noahSullivan: 2020,
		janeDoe: 2021,
	},
	inventoryAssets: {
		madridHotDesk1: 3001,
		madridDedicatedDesk1: 3006,
		madridChair1: 3009,
		madridMonitor1: 3012,
		madridLocker1: 3014,
		newYorkHotDesk1: 3016,
		newYorkDedicatedDesk1: 3021,
		newYorkChair1: 3024,
		newYorkMonitor1: 3027,
		newYorkLocker1: 3029,
		madridMonitor3: 3031,
		newYorkMonitor3: 3035,
	},
	coworkerInventoryAssets: {
		luciaDeskOpen: 5001,
		luciaMonitorOpen: 5002,
		javierLockerEnded: 5003,
		emilyDeskOpen: 5004,
		michaelChairEnded: 5005,
		oliviaLockerOpen: 5006,
	},
} as const;

export const MINIMAL = {
	businesses: { main: 1001 },
	coworkers: { ana: 2001, ben: 2002, carla: 2003 },
	inventoryAssets: { desk: 3001, chair: 3002, monitor: 3003, locker: 3004 },
} as const;

const SEED_DATE = '2024-09-01T09:00:00Z';

const DEMO_COWORKERS: Array<[name: string, email: string, business: number, company?: string]> = [
	['Lucía Fernández', 'lucia.fernandez@example.com', 1001, 'Estudio Nube S.L.'],
	['Javier Moreno', 'javier.moreno@example.com', 1001],
	['Carmen Ruiz', 'carmen.ruiz@example.com', 1001, 'Estudio Nube S.L.'],
	['Pablo Navarro', 'pablo.navarro@example.com', 1001],
	['Marta Gil', 'marta.gil@example.com', 1001, 'Verde Consultores'],
	['Diego Serrano', 'diego.serrano@example.com', 1001],
	['Elena Castro', 'elena.castro@example.com', 1001],
	['Sergio Ortega', 'sergio.ortega@example.com', 1001, 'Verde Consultores'],
	['Laura Delgado', 'laura.delgado@example.com', 1001],
	['Andrés Romero', 'andres.romero@example.com', 1001],
	['Emily Carter', 'emily.carter@example.com', 1002, 'Brightline Labs Inc.'],
	['James Whitaker', 'james.whitaker@example.com', 1002],
	['Olivia Bennett', 'olivia.bennett@example.com', 1002, 'Brightline Labs Inc.'],
	['Michael Chen', 'michael.chen@example.com', 1002],
	['Sophia Martinez', 'sophia.martinez@example.com', 1002, 'Hudson & Pine LLC'],
	['Daniel Brooks', 'daniel.brooks@example.com', 1002],
	['Ava Thompson', 'ava.thompson@example.com', 1002],
	['Ethan Patel', 'ethan.patel@example.com', 1002, 'Hudson & Pine LLC'],
	['Grace Park', 'grace.park@example.com', 1002],
	['Noah Sullivan', 'noah.sullivan@example.com', 1002],
	// A new member with nothing assigned: the onboarding examples start from her email.
	['Jane Doe', 'jane@example.com', 1001],
];

// Per location: 5 hot desks, 3 dedicated desks, 3 chairs, 2 monitors, 2 lockers (ids 3001-3030).
function demoAssets(
	business: number,
	prefix: string,
	price: (eur: number) => number,
): Array<[name: string, sku: string, value: number, business: number]> {
	const assets: Array<[string, string, number, number]> = [];
	const add = (name: string, kind: string, count: number, eur: number) => {
		for (let n = 1; n <= count; n++) {
			const number = String(n).padStart(2, '0');
			assets.push([`${name} ${number}`, `${prefix}-${kind}-${number}`, price(eur), business]);
		}
	};
	add('Hot desk', 'HDK', 5, 180);
	add('Dedicated desk', 'DDK', 3, 420);
	add('Ergonomic chair Herman Miller Aeron', 'CHR', 3, 1150);
	add('Monitor Dell U2723QE 27"', 'MON', 2, 560);
	add('Locker', 'LCK', 2, 95);
	return assets;
}

function extraMonitors(
	business: number,
	prefix: string,
	value: number,
): Array<[name: string, sku: string, value: number, business: number]> {
	return [3, 4, 5, 6].map((n) => {
		const number = String(n).padStart(2, '0');
		return [`Monitor Dell U2723QE 27" ${number}`, `${prefix}-MON-${number}`, value, business];
	});
}

function seedDemo(db: EmulatorDb): void {
	db.addBusiness({
		Id: DEMO.businesses.madrid,
		Name: 'Madrid - Gran Vía',
		WebAddress: 'madridgranvia',
		TimeZone: 'Romance Standard Time',
		Currency: 'EUR',
		// The emulator's own Ids for Spain and Romance Standard Time (Nexudus's are not published).
		CountryId: 724,
		SimpleTimeZoneId: 95,
		CurrencyId: 978,
		CreatedOn: SEED_DATE,
		UpdatedOn: SEED_DATE,
	});
	db.addBusiness({
		Id: DEMO.businesses.newYork,
		Name: 'New York - SoHo',
		WebAddress: 'newyorksoho',
		TimeZone: 'Eastern Standard Time',
		Currency: 'USD',
		CountryId: 840,
		SimpleTimeZoneId: 35,
		CurrencyId: 840,
		CreatedOn: SEED_DATE,
		UpdatedOn: SEED_DATE,
	});
	DEMO_COWORKERS.forEach(([FullName, Email, InvoicingBusinessId, CompanyName], index) => {
		db.addCoworker({
			Id: 2001 + index,
			FullName,
			Email,
			InvoicingBusinessId,
			CompanyName: CompanyName ?? null,
			BillingName: CompanyName ?? FullName,
			TeamNames: CompanyName ?? null,
			CreatedOn: SEED_DATE,
			UpdatedOn: SEED_DATE,
		});
	});
	db.teams.push(
		{ Id: 7001, Name: 'Acme Robotics', BusinessId: DEMO.businesses.madrid },
		{ Id: 7002, Name: 'Design Guild', BusinessId: DEMO.businesses.newYork },
	);
	const assets = [
		...demoAssets(DEMO.businesses.madrid, 'MAD', (eur) => eur),
		...demoAssets(DEMO.businesses.newYork, 'NYC', (eur) => Math.round(eur * 1.1)),
		// Ids 3031-3038: four more monitors per location, so that several starter kits fit.
		...extraMonitors(DEMO.businesses.madrid, 'MAD', 560),
		...extraMonitors(DEMO.businesses.newYork, 'NYC', 616),
	];
	assets.forEach(([Name, Sku, Value, BusinessId], index) => {
		db.addInventoryAsset({
			Id: 3001 + index,
			Name,
			Sku,
			Value,
			BusinessId,
			CreatedOn: SEED_DATE,
			UpdatedOn: SEED_DATE,
		});
	});
	const { coworkers: c, inventoryAssets: a, businesses: b } = DEMO;
	const assignments: Array<[number, number, number, string, string | null, string | null]> = [
		[
			c.luciaFernandez,
			b.madrid,
			a.madridDedicatedDesk1,
			'2025-01-07T09:00:00Z',
			null,
			'Window side',
		],
		[c.luciaFernandez, b.madrid, a.madridMonitor1, '2025-01-07T09:00:00Z', null, null],
		[
			c.javierMoreno,
			b.madrid,
			a.madridLocker1,
			'2024-10-01T08:00:00Z',
			'2025-03-31T18:00:00Z',
			null,
		],
		[c.emilyCarter, b.newYork, a.newYorkDedicatedDesk1, '2025-02-03T14:00:00Z', null, null],
		[
			c.michaelChen,
			b.newYork,
			a.newYorkChair1,
			'2024-11-15T14:00:00Z',
			'2025-01-31T22:00:00Z',
			'Returned',
		],
		[c.oliviaBennett, b.newYork, a.newYorkLocker1, '2025-03-10T13:30:00Z', null, 'Key #29'],
	];
	assignments.forEach(([CoworkerId, BusinessId, InventoryAssetId, from, to, Notes], index) => {
		db.addCoworkerInventoryAsset({
			Id: 5001 + index,
			CoworkerId,
			BusinessId,
			InventoryAssetId,
			AssignedFrom: from,
			AssignedTo: to,
			Notes,
			CreatedOn: from,
			UpdatedOn: to ?? from,
			UpdatedBy: 'admin@example.com',
		});
	});
}

function seedMinimal(db: EmulatorDb): void {
	const business = MINIMAL.businesses.main;
	db.addBusiness({
		Id: business,
		Name: 'Test Location',
		CreatedOn: SEED_DATE,
		UpdatedOn: SEED_DATE,
	});
	const people: Array<[number, string, string]> = [
		[MINIMAL.coworkers.ana, 'Ana Torres', 'ana.torres@example.com'],
		[MINIMAL.coworkers.ben, 'Ben Walker', 'ben.walker@example.com'],
		[MINIMAL.coworkers.carla, 'Carla Rossi', 'carla.rossi@example.com'],
	];
	for (const [Id, FullName, Email] of people) {
		db.addCoworker({ Id, FullName, Email, InvoicingBusinessId: business, CreatedOn: SEED_DATE });
	}
	const assets: Array<[number, string, string, number]> = [
		[MINIMAL.inventoryAssets.desk, 'Desk 01', 'TST-DSK-01', 300],
		[MINIMAL.inventoryAssets.chair, 'Chair 01', 'TST-CHR-01', 250],
		[MINIMAL.inventoryAssets.monitor, 'Monitor 01', 'TST-MON-01', 400],
		[MINIMAL.inventoryAssets.locker, 'Locker 01', 'TST-LCK-01', 90],
	];
	for (const [Id, Name, Sku, Value] of assets) {
		db.addInventoryAsset({ Id, Name, Sku, Value, BusinessId: business, CreatedOn: SEED_DATE });
	}
}

/** Empties the database and loads the named seed. */
export function applySeed(db: EmulatorDb, seed: SeedName): void {
	db.clear();
	if (seed === 'demo') seedDemo(db);
	else if (seed === 'minimal') seedMinimal(db);
}
