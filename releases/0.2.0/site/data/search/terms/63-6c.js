NC.data("search/terms/63-6c",{"claim":[194,274],"claimed":[51,54,105,164,272,274],"clear":[166,167],"closure":[273]});
