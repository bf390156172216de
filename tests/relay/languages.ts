/*
 * One answer reading the same records in the request's default language and, through each field's
 * own `lang` argument, in French: Relay stores `title` and `title(lang:"fr")` of one record apart.
 */
import { graphql } from 'relay-runtime';

export const languagesMixedQuery = graphql`
  query languagesMixedQuery($slug: String!) {
    mechanismTypes {
      id
      code
      name
      nameLanguage
    }
    event(slug: $slug) {
      id
      title
      frenchTitle: title(lang: "fr")
      frenchTitleLanguage: titleLanguage(lang: "fr")
      agenda {
        items {
          session {
            id
            title
            mechanismType {
              id
              name(lang: "fr")
              nameLanguage(lang: "fr")
            }
          }
        }
      }
      sessions(first: 10) {
        edges {
          node {
            id
            title(lang: "fr")
            titleLanguage(lang: "fr")
          }
        }
      }
    }
  }
`;
