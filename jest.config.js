// The n8n machine's time zone must not matter: every test runs in one that is not UTC and has
// daylight saving time (the e2e tests' n8n processes inherit it too).
process.env.TZ = 'Europe/Berlin';

/** @type {import('jest').Config} */
const base = {
	testEnvironment: 'node',
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	transform: { '^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	resolver: '<rootDir>/test/jest-resolver.js',
	modulePathIgnorePatterns: ['<rootDir>/dist'],
};
module.exports = {
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/**/*.test.cts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
		},
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.cts'] },
	],
};
