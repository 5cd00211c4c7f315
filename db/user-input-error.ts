/** Input a person must put right (a name too long, an unknown country…): the API answers 400, the CLI exits 2. */
export class UserInputError extends Error {}
