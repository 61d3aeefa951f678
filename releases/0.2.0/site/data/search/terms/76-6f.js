NC.data("search/terms/76-6f",{"voa":[19,156,273],"voice":[19],"vowed":[146]});
