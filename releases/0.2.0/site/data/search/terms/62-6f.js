NC.data("search/terms/62-6f",{"bomb":[51,54,276],"bombing":[43,51,54,274],"both":[50,156,269,273,274,276]});
