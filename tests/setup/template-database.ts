/** The database every test database is copied from (CREATE DATABASE … TEMPLATE): all migrations applied, nothing else. */
export const TEMPLATE_DATABASE = 'tests_template';
