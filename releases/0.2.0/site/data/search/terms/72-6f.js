NC.data("search/terms/72-6f",{"roadside":[51,54,274],"rockets":[105,223,252,272],"role":[29,30,61,150,271,273,274],"roles":[30],"rose":[227]});
