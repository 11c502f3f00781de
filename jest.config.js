/** @type {import('jest').Config} */
const base = {
	preset: undefined,
	testEnvironment: 'node',
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	transform: { '^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }] },
	moduleNameMapper: { '^(\\.{1,2}/.*)\\.cjs$': '$1' },
};
module.exports = {
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.cts'], testPathIgnorePatterns: ['/test/e2e/'] },
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.cts'] },
	],
};
