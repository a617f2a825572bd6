/** The shortest backup passphrase we accept (setup, passphrase change, standalone archives). */
export const MIN_PASSPHRASE_LENGTH = 12;
