/*
 * Operations a Relay app would write against this API, compiled by relay-compiler against
 * schema.graphql in tests/relay.test.ts: the agenda, a paginated @connection over the event's
 * sessions that refetches through `node`, and refetches of an agenda item and a session by ID.
 */
import { graphql } from 'relay-runtime';

export const agendaQuery = graphql`
  query agendaQuery($slug: String!) {
    event(slug: $slug) {
      id
      title
      timeZone
      agenda {
        date
        items {
          ...agendaItem_item
          session {
            id
            number
            title
            mechanismType {
              id
              code
            }
            parts {
              id
              position
              title
              description
            }
          }
          break {
            id
            title
          }
        }
      }
      ...agendaSessions_event
    }
  }
`;

export const agendaItemFragment = graphql`
  fragment agendaItem_item on AgendaItem @refetchable(queryName: "agendaItemRefetchQuery") {
    id
    kind
    title
    startsAt
    endsAt
  }
`;

export const agendaSessionsFragment = graphql`
  fragment agendaSessions_event on Event
  @refetchable(queryName: "agendaSessionsPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 2 }, after: { type: "String" }) {
    sessions(first: $first, after: $after) @connection(key: "agendaSessions_sessions") {
      totalCount
      edges {
        node {
          id
          number
          title
        }
      }
    }
  }
`;

export const agendaSessionQuery = graphql`
  query agendaSessionQuery($id: ID!) {
    node(id: $id) {
      id
      ... on Session {
        number
        title
        startsAt
      }
    }
  }
`;
