type SystemError = Error & { code?: string };

/** An error of a step that uses the database (start-up before listening, the CLIs): a connection failure names DATABASE_URL. */
export function databaseFailure({ code, message }: SystemError): string {
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN'
    ? `cannot reach the database (${message}): is PostgreSQL running where DATABASE_URL points?`
    : message;
}

/** The one line `npm start` prints when start-up fails, saying which setting to look at. */
export function startupFailure(error: SystemError, listening: boolean, environment: { HOST?: string; PORT: number }): string {
  if (!listening) return databaseFailure(error);
  const { code, message } = error;
  const where = environment.HOST === undefined ? `port ${environment.PORT}` : `${environment.HOST} port ${environment.PORT}`;
  switch (code) {
    case 'EADDRINUSE':
      return `PORT ${environment.PORT} is already in use: stop what listens there or set PORT to a free port`;
    case 'EACCES':
      return `not allowed to listen on ${where} (${message}): ports below 1024 need privileges; set PORT to 1024 or above`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAFNOSUPPORT':
      return `cannot listen on ${where} (${message}): HOST must be an address of this machine, such as 127.0.0.1, ::1, 0.0.0.0 or ::`;
    default:
      return `cannot listen on ${where}: ${message}`;
  }
}
