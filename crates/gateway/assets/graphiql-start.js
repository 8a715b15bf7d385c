// Starts GraphiQL against this host's API. A file of its own, not an inline script, so
// that the page's Content-Security-Policy allows scripts from 'self' only.
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher: GraphiQL.createFetcher({ url: '/graphql' }) })
);
