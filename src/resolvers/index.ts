import type { Resolvers } from './__generated__/types.js';
import { Mutation } from './Mutation.js';
import { Notification } from './Notification.js';
import { Query } from './Query.js';
import { RankedTweetEdge } from './RankedTweetEdge.js';
import { HomeTimelineUpdate, Subscription } from './Subscription.js';
import { Tweet } from './Tweet.js';
import { TweetEdge } from './TweetEdge.js';
import { User } from './User.js';

export const resolvers: Resolvers = { Query, Mutation, Subscription, HomeTimelineUpdate, Tweet, TweetEdge, User, RankedTweetEdge, Notification };
