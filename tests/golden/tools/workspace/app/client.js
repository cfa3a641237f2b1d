function handle(response) {
  return response.ok ? response.echo : null;
}

module.exports = { handle };
