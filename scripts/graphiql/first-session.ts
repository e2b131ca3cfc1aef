// The tabs GraphiQL opens with when the browser has none stored: the README's first session, one
// step a tab. Tab titles are the operation names, so each operation is named. Bundled into the page
// by scripts/build-graphiql.mjs; the browser test checks the tabs against this list.

/** One GraphiQL tab: an operation (its name is the tab's title) and the comment above it. */
export interface FirstSessionTab {
  title: string;
  query: string;
}

const SIGN_UP = `# A first session with timeline-service, one step a tab. Run a tab with ▶ (or Ctrl-Enter).
#
# 1. Sign up. The answer carries a token: paste it into the Headers editor below as
#
#      {"Authorization": "Bearer <token>"}
#
#    Once is enough: a tab without an Authorization header of its own uses the last one sent.
#    It goes with every query and mutation over HTTP, and to the websocket, as connectionParams,
#    for subscriptions. Signed up already? logIn takes the same arguments.
#    Running \`npm run demo\`? Paste the token it printed for its demo user instead.
mutation SignUp {
  signUp(handle: "alice", password: "correct horse") {
    token
    user { id handle }
  }
}
`;

const POST_TWEET = `# 2. Post a tweet (needs the token in Headers). It returns once Kafka has acknowledged it;
#    the consumer groups then store it, fan it out to your followers and tag it.
mutation PostTweet {
  postTweet(text: "hello, world: first coffee of the day") {
    id
    createdAt
    text
  }
}
`;

const FOLLOW = `# 3. Follow someone. bob must exist: sign him up in the first tab (then go on with alice's
#    token), or, in \`npm run demo\`, follow any of its users (user0 … user39). Their recent
#    tweets are merged into your home timeline shortly after.
mutation Follow {
  follow(handle: "bob") {
    handle
    followerCount
  }
}
`;

const HOME_TIMELINE = `# 4. Your home timeline: your tweets and those of people you follow, newest first.
#    Next page: homeTimeline(first: 20, after: "<pageInfo.endCursor>").
query HomeTimeline {
  homeTimeline(first: 20) {
    edges {
      cursor
      node { id text createdAt tags author { handle } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const LIVE_HOME_TIMELINE = `# 5. Live: every new entry of your home timeline as it arrives, over graphql-ws (the token
#    from Headers goes along as connectionParams). Start it, then post from the PostTweet tab
#    (or watch \`npm run demo\`'s trickle); the stop button ends it.
subscription LiveHomeTimeline {
  homeTimeline {
    cursor
    node { id text createdAt author { handle } }
  }
}
`;

const FOR_YOU = `# 6. Ranked for you, with the reasons behind each score: "you liked 2 tweets about foodies",
#    "you chose foodies", "from @bob, whom you follow", "popular right now". Teach it your taste:
#      mutation { setInterests(tags: ["foodies", "wanderlust"]) { tag weight } }
#      mutation { likeTweet(id: "<a tweet id>") { likeCount viewerHasLiked } }
#      mutation { notInterested(tweetId: "<a tweet id>") }
query ForYou {
  forYou(first: 10) {
    edges {
      score
      reasons
      node { id text tags author { handle } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

export const FIRST_SESSION_TABS: readonly FirstSessionTab[] = [
  { title: 'SignUp', query: SIGN_UP },
  { title: 'PostTweet', query: POST_TWEET },
  { title: 'Follow', query: FOLLOW },
  { title: 'HomeTimeline', query: HOME_TIMELINE },
  { title: 'LiveHomeTimeline', query: LIVE_HOME_TIMELINE },
  { title: 'ForYou', query: FOR_YOU },
];
