NC.data("search/terms/76-6f",{"voa":[19,136,161,277],"voice":[19],"vowed":[147]});
